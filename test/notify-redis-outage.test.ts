import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeReceiver } from './support/notify-fake-receiver.js';
import { alertView, notificationsOf, notifyTestConfig, startNotifyApp, transition, waitUntil, type NotifyApp } from './support/notify-fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
    socket.connect(port, '127.0.0.1');
  });
}

// A private Redis for this test only: the shared one on 6379 is never stopped.
class PrivateRedis {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitUntil(() => reachable(this.port), 'private redis to accept connections', 10_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}

describe('notify: Redis outage', { skip: hasRedisServer ? false : 'redis-server is not installed' }, () => {
  const receiver = new FakeReceiver();
  let redis: PrivateRedis;
  let db: TestDatabase;
  let app: NotifyApp;

  before(async () => {
    await receiver.start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    db = await createTestDatabase();
    const config = notifyTestConfig(
      { routes: [{ channel: 'webhook', url: `${receiver.url}/hook` }] },
      { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${redis.port}` },
    );
    app = await startNotifyApp(config);
  });

  after(async () => {
    await app?.close();
    await redis?.stop();
    await db?.drop();
    await receiver.stop();
  });

  it('keeps alerts in the outbox while Redis is down and sends them once it is back', async () => {
    // one rollout each: separate groups, so each alert is its own message
    const first = alertView({ rolloutId: 'r-first' });
    await app.enqueue(transition(first));
    await receiver.waitFor(1);

    await redis.stop();
    const during = [alertView({ rolloutId: 'r-during-1' }), alertView({ rolloutId: 'r-during-2' })];
    for (const alert of during) await app.enqueue(transition(alert));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.requests.length, 1, 'nothing can be delivered without the queue');
    for (const alert of during) {
      const [entry] = await notificationsOf(app.url, alert.id);
      assert.equal(entry?.status, 'pending', 'the notification waits in the outbox');
    }
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    assert.ok(/^wavewatch_notify_outbox_depth 2$/m.test(metrics), 'outbox depth shows the two waiting notifications');

    await redis.start();
    await receiver.waitFor(3, 30_000);
    await waitUntil(async () => {
      const entries = await Promise.all(during.map((a) => notificationsOf(app.url, a.id)));
      return entries.every((e) => e[0]?.status === 'delivered');
    }, 'delivery after Redis came back', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const fingerprints = receiver.bodies<{ alerts: Array<{ fingerprint: string }> }>().map((b) => b.alerts[0]?.fingerprint);
    assert.deepEqual(fingerprints.sort(), [first, ...during].map((a) => a.fingerprint).sort());
  });
});
