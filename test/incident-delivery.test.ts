import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AlertView } from '../src/alerts/alert.types.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { fetchAlerts, replay } from '../scenarios/replay-runner.js';
import { scenarioPath } from '../scenarios/scenario-files.js';
import { FakeReceiver } from './support/notify-fake-receiver.js';
import { notifyTestConfig, startNotifyApp, waitUntil, type NotifyApp } from './support/notify-fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

interface SlackBody {
  text: string;
  blocks: unknown[];
}

const fingerprintOf = (body: SlackBody): string => /fingerprint ([0-9a-f]{16})/.exec(JSON.stringify(body))?.[1] ?? '';
const stateOf = (body: SlackBody): string => (/^\[(FIRING|RESOLVED)\]/.exec(body.text)?.[1] ?? '?').toLowerCase();

// The whole path: a replayed incident over HTTP → analysis → alert lifecycle → outbox →
// queue (BullMQ on the real Redis in CI, in-process otherwise) → a Slack-like receiver.
// One message per alert transition, resolves included, none twice.
describe('incident replay delivered to Slack', () => {
  const slack = new FakeReceiver({ status: 200, body: 'ok' });
  let db: TestDatabase;
  let app: NotifyApp | undefined;

  before(async () => {
    await slack.start();
    db = await createTestDatabase();
    const config = notifyTestConfig(
      // groupBy '...': one alert per group, so each transition is its own message (grouping: notify-grouping.test)
      { routes: [{ channel: 'slack', url: `${slack.url}/services/T0/B0/demo`, groupBy: ['...'] }], slackMinIntervalMs: 1000 },
      { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL },
    );
    app = await startNotifyApp(config);
  });

  after(async () => {
    await app?.close();
    await db?.drop();
    await slack.stop();
  });

  it('sends one readable message per transition and none twice', async () => {
    const url = app!.url;
    const scenario = loadScenario(scenarioPath('collapse-small'));
    const result = await replay(scenario, url);
    assert.equal(result.writeStatuses['204'], result.writeRequests, 'every remote_write accepted');
    const alerts: AlertView[] = await fetchAlerts(url);
    assert.ok(alerts.length >= 2, `the collapse should raise alerts, got ${alerts.length}`);

    const expected = new Map<string, number>();
    for (const a of alerts) {
      expected.set(`${a.fingerprint}/firing`, 1);
      if (a.state === 'resolved') expected.set(`${a.fingerprint}/resolved`, 1);
    }
    const received = (): Map<string, number> => {
      const seen = new Map<string, number>();
      for (const body of slack.bodies<SlackBody>()) {
        const key = `${fingerprintOf(body)}/${stateOf(body)}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return seen;
    };
    const describeAlerts = (): string => alerts.map((a) => `${a.fingerprint} ${a.name} ${a.state} ${a.startsAt}..${a.endsAt ?? ''}`).join('\n');
    try {
      await waitUntil(() => [...expected.keys()].every((k) => received().has(k)), 'a message for every transition', 60_000);
    } catch (error) {
      const notes = await (await fetch(`${url}/api/v1/notifications`)).text();
      assert.fail(`${(error as Error).message}\nexpected ${[...expected.keys()].join(' ')}\nreceived ${[...received().keys()].join(' ')}\nalerts:\n${describeAlerts()}\nnotifications: ${notes.slice(0, 3000)}`);
    }
    // Anything duplicated would be on its way by now (relay every 50 ms, paced at 1/s).
    await new Promise((r) => setTimeout(r, 2500));

    for (const body of slack.bodies<SlackBody>()) {
      assert.equal(typeof body.text, 'string', 'every message has a top-level text');
      assert.ok(Array.isArray(body.blocks) && body.blocks.length > 0, 'every message has Block Kit blocks');
    }
    assert.deepEqual([...received().entries()].sort(), [...expected.entries()].sort());
    // per alert, FIRING reaches the channel before RESOLVED
    const order = slack.bodies<SlackBody>().map((b) => `${fingerprintOf(b)}/${stateOf(b)}`);
    for (const a of alerts.filter((x) => x.state === 'resolved')) {
      assert.ok(order.indexOf(`${a.fingerprint}/firing`) < order.indexOf(`${a.fingerprint}/resolved`), `${a.name}: firing before resolved`);
    }
    const names = new Set(alerts.map((a) => a.name));
    for (const name of names) assert.ok(slack.bodies<SlackBody>().some((b) => b.text.includes(name)), `a message names ${name}`);
    await waitUntil(() => slack.requests.length === expected.size, 'no extra message');
  });
});
