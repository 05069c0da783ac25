import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeReceiver } from './support/notify-fake-receiver.js';
import { alertView, notificationsOf, notifyTestConfig, startNotifyApp, transition, waitUntil, type NotifyApp } from './support/notify-fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

// Each receiver gets its own route, so one receiver's 429 hold does not slow another's test.
describe('notify: retries, permanent failures, rate limits and deduplication', () => {
  const receivers = {
    throttled: new FakeReceiver(),
    invalid: new FakeReceiver(),
    gone: new FakeReceiver(),
    flaky: new FakeReceiver(),
    paced: new FakeReceiver(),
    dedup: new FakeReceiver(),
  };
  let db: TestDatabase;
  let app: NotifyApp;

  before(async () => {
    await Promise.all(Object.values(receivers).map((r) => r.start()));
    db = await createTestDatabase();
    const route = (name: keyof typeof receivers, channel = 'slack'): Record<string, unknown> => ({
      channel,
      url: `${receivers[name].url}/${name}`,
      matchLabels: { receiver: name },
    });
    const config = notifyTestConfig(
      { slackMinIntervalMs: 1000, routes: [route('throttled'), route('invalid'), route('gone'), route('flaky', 'webhook'), route('paced'), route('dedup')] },
      { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL },
    );
    app = await startNotifyApp(config);
  });

  after(async () => {
    await app?.close();
    await db?.drop();
    await Promise.all(Object.values(receivers).map((r) => r.stop()));
  });

  const alertFor = (receiver: string) => alertView({ labels: { receiver } });

  it('waits at least Retry-After after a 429 before sending again', async () => {
    const r = receivers.throttled;
    r.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } });
    const alert = alertFor('throttled');
    await app.enqueue(transition(alert));
    await r.waitFor(2);
    const gap = r.requests[1]!.at - r.requests[0]!.at;
    assert.ok(gap >= 2000, `second attempt came ${gap} ms after the 429, before Retry-After`);
    await waitUntil(async () => (await notificationsOf(app.url, alert.id))[0]?.status === 'delivered', 'delivery recorded');
    const [entry] = await notificationsOf(app.url, alert.id);
    assert.deepEqual(
      entry?.attemptLog.map((a) => [a.outcome, a.httpStatus, a.error]),
      [
        ['retry', 429, 'rate_limited'],
        ['delivered', 200, null],
      ],
    );
  });

  for (const [name, status, error] of [
    ['invalid', 400, 'invalid_blocks'],
    ['gone', 404, 'no_service'],
  ] as const) {
    it(`records a ${status} ${error} as a permanent failure and does not retry it`, async () => {
      const r = receivers[name];
      r.reply({ status, body: error });
      const alert = alertFor(name);
      await app.enqueue(transition(alert));
      await waitUntil(async () => (await notificationsOf(app.url, alert.id))[0]?.status === 'failed', 'failure recorded');
      const [entry] = await notificationsOf(app.url, alert.id);
      assert.equal(entry?.httpStatus, status);
      assert.equal(entry?.error, error);
      // Retries here would come within a few hundred ms (retryBaseMs 100): give them time to show.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(r.requests.length, 1);
    });
  }

  it('retries 5xx and network-level failures with backoff until delivered', async () => {
    const r = receivers.flaky;
    r.reply({ status: 500, body: 'boom' }, { status: 503, body: 'down' });
    const alert = alertFor('flaky');
    await app.enqueue(transition(alert));
    await r.waitFor(3);
    await waitUntil(async () => (await notificationsOf(app.url, alert.id))[0]?.status === 'delivered', 'delivery recorded');
    const [entry] = await notificationsOf(app.url, alert.id);
    assert.deepEqual(
      entry?.attemptLog.map((a) => a.httpStatus),
      [500, 503, 200],
    );
    assert.equal(r.requests.length, 3);
  });

  it('sends at most one message per second to a Slack webhook', async () => {
    const r = receivers.paced;
    // three rollouts, so three groups and three messages
    const alerts = [0, 1, 2].map((i) => alertView({ labels: { receiver: 'paced' }, rolloutId: `paced-${i}` }));
    await Promise.all(alerts.map((a) => app.enqueue(transition(a))));
    await r.waitFor(3);
    for (let i = 1; i < 3; i++) {
      const gap = r.requests[i]!.at - r.requests[i - 1]!.at;
      assert.ok(gap >= 1000, `messages ${i - 1} and ${i} came ${gap} ms apart`);
    }
  });

  it('delivers a transition written twice only once', async () => {
    const r = receivers.dedup;
    const alert = alertFor('dedup');
    assert.equal(await app.enqueue(transition(alert)), 1);
    assert.equal(await app.enqueue(transition(alert)), 0, 'the second write is a no-op');
    await r.waitFor(1);
    await waitUntil(async () => (await notificationsOf(app.url, alert.id))[0]?.status === 'delivered', 'delivery recorded');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(r.requests.length, 1);
  });
});
