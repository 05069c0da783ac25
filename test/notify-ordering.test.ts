import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeReceiver } from './support/notify-fake-receiver.js';
import { alertView, notificationsOf, notifyTestConfig, resolvedOf, startNotifyApp, transition, waitUntil, type NotifyApp } from './support/notify-fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

interface SlackBody {
  text: string;
}

// An alert that fires and resolves before its FIRING message went out: without a group wait
// both messages are sent, FIRING first; inside a route's group wait only RESOLVED is sent.
describe('notify: firing and resolved of one alert', () => {
  let db: TestDatabase;
  const slack = new FakeReceiver({ status: 200, body: 'ok' });
  let app: NotifyApp | undefined;

  before(async () => {
    await slack.start();
    db = await createTestDatabase();
  });
  after(async () => {
    await app?.close();
    await db.drop();
    await slack.stop();
  });

  it('sends both transitions in order when the route has no group wait', async () => {
    app = await startNotifyApp(notifyTestConfig({ routes: [{ channel: 'slack', url: `${slack.url}/plain` }] }, { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL }));
    const alert = alertView();
    // resolve is written right behind firing, before the sender had a chance to post
    await app.enqueue(transition(alert));
    await app.enqueue(transition(resolvedOf(alert)));
    await slack.waitFor(2);
    const texts = slack.bodies<SlackBody>().map((b) => b.text);
    assert.match(texts[0] ?? '', /^\[FIRING\]/);
    assert.match(texts[1] ?? '', /^\[RESOLVED\]/);
    await app.close();
    app = undefined;
  });

  it('sends only RESOLVED when the alert resolved within the group wait', async () => {
    const before = slack.requests.length;
    app = await startNotifyApp(
      notifyTestConfig({ routes: [{ channel: 'slack', url: `${slack.url}/grouped`, groupWaitSeconds: 1 }] }, { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL }),
    );
    const alert = alertView();
    await app.enqueue(transition(alert));
    await app.enqueue(transition(resolvedOf(alert)));
    const current = app;
    await waitUntil(async () => {
      const entries = await notificationsOf(current.url, alert.id);
      return entries.length === 2 && entries.every((e) => e.status === 'delivered' || e.status === 'superseded');
    }, 'both rows settled');
    const mine = slack.requests.slice(before).filter((r) => r.path === '/grouped');
    assert.equal(mine.length, 1);
    assert.match((mine[0]?.body as SlackBody).text, /^\[RESOLVED\]/);
    const statuses = (await notificationsOf(current.url, alert.id)).map((e) => `${e.kind}:${e.status}`).sort();
    assert.deepEqual(statuses, ['firing:superseded', 'resolved:delivered']);
  });
});
