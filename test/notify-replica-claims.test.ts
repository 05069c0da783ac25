import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { FakeReceiver } from './support/notify-fake-receiver.js';
import { alertView, notificationsOf, notifyTestConfig, startNotifyApp, transition, waitUntil, type NotifyApp } from './support/notify-fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

// Replicas: a send claimed by a replica that died (its database session is gone) is taken
// over at once; a claim of a live replica is left to it until its lease ends.
describe('notify: claims of a replica that is gone', () => {
  const receiver = new FakeReceiver();
  let db: TestDatabase;
  let app: NotifyApp | undefined;

  before(async () => {
    await receiver.start();
    db = await createTestDatabase();
  });

  after(async () => {
    await app?.close();
    await db?.drop();
    await receiver.stop();
  });

  it('re-sends the dead replica claim, not the live one', async (t) => {
    if (!db.url) {
      t.skip('DATABASE_URL is not set: claims by replica need PostgreSQL sessions');
      return;
    }
    const config = notifyTestConfig(
      { alertmanagerResendSeconds: 3600, routes: [{ channel: 'alertmanager', url: `${receiver.url}/am` }] },
      { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, WAVEWATCH_REPLICA_ID: 'claims-live' },
    );
    app = await startNotifyApp(config);
    const gone = alertView({ rolloutId: 'rollout-gone' });
    const live = alertView({ rolloutId: 'rollout-live' });
    await app.enqueue(transition(gone));
    await app.enqueue(transition(live));
    await receiver.waitFor(2);
    const mentions = (rollout: string): number => receiver.requests.filter((r) => JSON.stringify(r.body).includes(rollout)).length;
    assert.equal(mentions('rollout-gone'), 1);

    // as if each had been claimed for a send that never finished
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    // the live replica's session tag (<boot nonce>:<id>), as its coordinator named its session
    const sessions = await c.query<{ session: string }>(`SELECT substr(application_name, 11) AS session FROM pg_stat_activity WHERE application_name LIKE 'wavewatch %:claims-live'`);
    assert.equal(sessions.rowCount, 1, 'one coordinator session of the live replica');
    const claimed = await c.query(
      `UPDATE notify_outbox SET status = 'sending', delivered_at = NULL, lease_until = now() + interval '5 minutes',
         claimed_by = CASE WHEN alert_id = $1 THEN $4 ELSE $3 END
       WHERE alert_id IN ($1, $2)`,
      // gone: an earlier boot of this very replica id (killed, restarted under the same id)
      [gone.id, live.id, sessions.rows[0]!.session, '00000000:claims-live'],
    );
    await c.end();
    assert.equal(claimed.rowCount, 2);

    await waitUntil(() => mentions('rollout-gone') === 2, 'the dead replica claim sent again', 10_000);
    const current = app;
    await waitUntil(async () => (await notificationsOf(current.url, gone.id))[0]?.status === 'delivered', 'recorded as delivered');
    assert.equal((await notificationsOf(app.url, gone.id))[0]?.attempts, 2);
    // the live replica's claim stays its own (the relay polls every 50 ms)
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(mentions('rollout-live'), 1, 'a live claim is not taken over');
    assert.equal((await notificationsOf(app.url, live.id))[0]?.status, 'sending');
  });
});
