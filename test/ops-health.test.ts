import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startApp, type RunningApp } from './support/start-app.js';

// fail instead of hanging when start-up blocks on a dependency
const startTimeout = { timeout: 120_000 };

interface Readiness {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

// A port that nothing listens on: bind one, then free it.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('health endpoints', () => {
  describe('with healthy dependencies', () => {
    let running: RunningApp;
    // CI provides a real Redis; without it readiness checks the database only
    const redisUrl = process.env.REDIS_URL;
    before(async () => {
      running = await startApp(redisUrl ? { REDIS_URL: redisUrl } : {});
    }, startTimeout);
    after(async () => {
      await running.close();
    });

    it('/healthz answers 200', async () => {
      const res = await fetch(`${running.url}/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    });

    it('/readyz answers 200 with each dependency up', async () => {
      const res = await fetch(`${running.url}/readyz`);
      const body = (await res.json()) as Readiness;
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.status, 'ok');
      assert.equal(body.info?.database?.status, 'up');
      if (redisUrl) assert.equal(body.info?.redis?.status, 'up');
      else assert.equal(body.info?.redis, undefined);
    });
  });

  describe('with Redis unreachable', () => {
    let running: RunningApp;
    // the service must start while Redis is down (the outbox keeps notifications meanwhile)
    before(async () => {
      running = await startApp({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    }, startTimeout);
    after(async () => {
      await running.close();
    });

    it('/readyz answers 503 naming redis, with the database still up', async () => {
      const res = await fetch(`${running.url}/readyz`);
      const body = (await res.json()) as Readiness;
      assert.equal(res.status, 503, JSON.stringify(body));
      assert.equal(body.status, 'error');
      assert.equal(body.error?.redis?.status, 'down');
      assert.equal(body.info?.database?.status, 'up');
    });

    it('/healthz still answers 200: liveness does not depend on Redis', async () => {
      assert.equal((await fetch(`${running.url}/healthz`)).status, 200);
    });
  });
});
