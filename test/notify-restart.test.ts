import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppConfig } from '../src/config/config.schema.js';
import { FakeReceiver } from './support/notify-fake-receiver.js';
import { alertView, notificationsOf, notifyTestConfig, startNotifyApp, transition, waitUntil, type NotifyApp } from './support/notify-fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

interface SlackBody {
  blocks: Array<{ type: string; elements?: Array<{ text: string }> }>;
}
const fingerprintOf = (body: SlackBody): string => /fingerprint ([0-9a-f]+)/.exec(JSON.stringify(body))?.[1] ?? '';

// Closing the app while a send is in flight, then starting it again on the same database:
// every notification arrives, none twice.
describe('notify: restart in the middle of delivery', () => {
  const slack = new FakeReceiver({ status: 200, body: 'ok', delayMs: 300 });
  let db: TestDatabase;
  let config: AppConfig;
  let app: NotifyApp | undefined;

  before(async () => {
    await slack.start();
    db = await createTestDatabase();
    // PGlite keeps its data across the restart only in a data directory.
    const dataDir = db.url ? undefined : mkdtempSync(join(tmpdir(), 'wavewatch-notify-pglite-'));
    config = notifyTestConfig(
      { slackMinIntervalMs: 100, concurrency: 1, routes: [{ channel: 'slack', url: `${slack.url}/hook` }] },
      { DATABASE_URL: db.url, WAVEWATCH_DATA_DIR: dataDir, REDIS_URL: process.env.REDIS_URL },
    );
  });

  after(async () => {
    await app?.close();
    await db?.drop();
    await slack.stop();
  });

  it('loses nothing and duplicates nothing', async () => {
    // four rollouts: four notification groups, one message each
    const alerts = Array.from({ length: 4 }, (_, i) => alertView({ rolloutId: `rollout-${i}` }));
    app = await startNotifyApp(config);
    for (const alert of alerts) await app.enqueue(transition(alert));
    await slack.waitFor(1);
    // The first send is still waiting for its answer: close now.
    await app.close();
    app = undefined;
    const beforeRestart = slack.requests.length;
    assert.ok(beforeRestart < alerts.length, `all ${beforeRestart} were sent before the restart; the test proves nothing`);

    app = await startNotifyApp(config);
    await slack.waitFor(alerts.length);
    const current = app;
    await waitUntil(async () => {
      const entries = await Promise.all(alerts.map((a) => notificationsOf(current.url, a.id)));
      return entries.every((e) => e.length === 1 && e[0]?.status === 'delivered');
    }, 'every notification recorded as delivered');
    // Any duplicate would be on its way by now (relay interval 50 ms, no retries pending).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seen = slack.bodies<SlackBody>().map(fingerprintOf).sort();
    assert.deepEqual(seen, alerts.map((a) => a.fingerprint).sort());
  });
});
