import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeReceiver } from './support/notify-fake-receiver.js';
import { alertView, notificationsOf, notifyTestConfig, resolvedOf, startNotifyApp, transition, waitUntil, type NotifyApp } from './support/notify-fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

interface SlackBody {
  text: string;
  blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text: string | { text: string }; url?: string }> }>;
}

// One alert episode (firing, then resolved) through all three channels, against local receivers.
describe('notify: an alert episode on Slack, Alertmanager and a webhook', () => {
  const slack = new FakeReceiver();
  const alertmanager = new FakeReceiver();
  const webhook = new FakeReceiver();
  let db: TestDatabase;
  let app: NotifyApp;
  const alert = alertView({ timeToImpactSeconds: 420, figures: { busySeats: 540, capacitySeats: 600, visibleErrorRatio: 0.004, missFailureRatio: 0.35, predictedUtilization: 2.4 } });

  before(async () => {
    await Promise.all([slack.start(), alertmanager.start(), webhook.start()]);
    db = await createTestDatabase();
    const config = notifyTestConfig(
      {
        grafanaUrl: 'https://grafana.example/d/wavewatch/rollout-health',
        runbookUrl: 'https://runbooks.example/wavewatch/',
        externalUrl: 'https://wavewatch.example/',
        alertmanagerResendSeconds: 3600,
        routes: [
          { channel: 'slack', url: `${slack.url}/services/T0/B0/secret` },
          { channel: 'alertmanager', url: alertmanager.url },
          { channel: 'webhook', url: `${webhook.url}/hook`, matchSeverities: ['critical'] },
          { channel: 'webhook', url: `${webhook.url}/warnings-only`, matchSeverities: ['warning'] },
        ],
      },
      { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL },
    );
    app = await startNotifyApp(config);
    assert.equal(await app.enqueue(transition(alert)), 3, 'three routes match a critical alert');
    await Promise.all([slack.waitFor(1), alertmanager.waitFor(1), webhook.waitFor(1)]);
    assert.equal(await app.enqueue(transition(resolvedOf(alert))), 3);
    await Promise.all([slack.waitFor(2), alertmanager.waitFor(2), webhook.waitFor(2)]);
  });

  after(async () => {
    await app?.close();
    await db?.drop();
    await Promise.all([slack.stop(), alertmanager.stop(), webhook.stop()]);
  });

  it('posts a readable Slack message: header, figures, context and link buttons', () => {
    const [firing, resolved] = slack.bodies<SlackBody>();
    assert.ok(firing && resolved);
    assert.match(firing.text, /^\[FIRING\] RolloutControlPlaneOverload \(critical\) — rollout telemetry-agent-2024-12-11, wave wave-2, clusters prod-a, prod-b — API servers/);
    const header = firing.blocks.find((b) => b.type === 'header');
    assert.match(header?.text?.text ?? '', /FIRING: RolloutControlPlaneOverload$/);
    const fields = firing.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
    assert.ok(fields.includes('*Rollout*\ntelemetry-agent-2024-12-11'), fields.join(' | '));
    assert.ok(fields.includes('*Wave*\nwave-2'));
    assert.ok(fields.includes('*Clusters (2)*\nprod-a, prod-b'));
    assert.ok(fields.includes('*API server seats*\n540 busy / 600 capacity (90 %)'), fields.join(' | '));
    assert.ok(fields.includes('*DNS SERVFAIL*\nvisible 0.4 % vs miss-failure 35 %'), fields.join(' | '));
    assert.ok(fields.includes('*Predicted utilisation*\n240 % of capacity'));
    assert.ok(fields.includes('*Time to impact*\n~7m'));
    const context = firing.blocks.find((b) => b.type === 'context');
    assert.match(JSON.stringify(context), /started 2024-12-11 22:53:15 UTC/);
    const buttons = firing.blocks.find((b) => b.type === 'actions')?.elements ?? [];
    assert.deepEqual(
      buttons.map((b) => (typeof b.text === 'string' ? b.text : b.text.text)),
      ['Grafana dashboard', 'Runbook', 'Rollout page'],
    );
    assert.equal(buttons[2]?.url, 'https://wavewatch.example/rollouts/telemetry-agent-2024-12-11');
    assert.match(buttons[0]?.url ?? '', /^https:\/\/grafana\.example\/d\/wavewatch\/rollout-health\?var-rollout=telemetry-agent-2024-12-11&var-cluster=prod-a&var-cluster=prod-b&from=\d+&to=now$/);
    assert.equal(buttons[1]?.url, 'https://runbooks.example/wavewatch/control-plane-overload');
    assert.equal(slack.requests[0]?.path, '/services/T0/B0/secret');
  });

  it('says RESOLVED and how long the episode lasted', () => {
    const resolved = slack.bodies<SlackBody>()[1]!;
    assert.match(resolved.text, /^\[RESOLVED\] RolloutControlPlaneOverload \(critical\) after 14m 30s/);
    assert.match(resolved.blocks[0]?.text?.text ?? '', /RESOLVED: RolloutControlPlaneOverload/);
    assert.ok(resolved.blocks.flatMap((b) => b.fields ?? []).some((f) => f.text === '*Lasted*\n14m 30s'));
  });

  it('posts Alertmanager v2 postable alerts, with endsAt set on resolve', () => {
    assert.deepEqual(
      alertmanager.requests.map((r) => r.path),
      ['/api/v2/alerts', '/api/v2/alerts'],
    );
    const bodies = alertmanager.bodies<Array<Record<string, unknown>>>();
    const firing = bodies[0]?.[0];
    const resolved = bodies[1]?.[0];
    assert.deepEqual(firing?.labels, {
      alertname: 'RolloutControlPlaneOverload',
      severity: 'critical',
      rollout: 'telemetry-agent-2024-12-11',
      wave: 'wave-2',
      cluster: 'prod-a,prod-b',
    });
    assert.equal(firing?.startsAt, alert.startsAt);
    assert.ok(Date.parse(firing?.endsAt as string) > Date.now(), 'a firing alert carries a future endsAt lease');
    assert.equal(resolved?.endsAt, '2024-12-11T23:07:45.000Z');
    assert.equal((firing?.annotations as Record<string, string>).runbook_url, 'https://runbooks.example/wavewatch/control-plane-overload');
    assert.match(firing?.generatorURL as string, /^https:\/\/wavewatch\.example\/api\/v1\/alerts\?rolloutId=/);
  });

  it('posts the Alertmanager webhook v4 body to the matching webhook only', () => {
    assert.deepEqual(
      webhook.requests.map((r) => r.path),
      ['/hook', '/hook'],
    );
    const [firing, resolved] = webhook.bodies<Record<string, unknown> & { alerts: Array<Record<string, unknown>> }>();
    assert.equal(firing?.version, '4');
    assert.equal(firing?.status, 'firing');
    assert.equal(resolved?.status, 'resolved');
    assert.equal(firing?.receiver, 'wavewatch');
    assert.equal(firing?.externalURL, 'https://wavewatch.example/');
    assert.equal(typeof firing?.groupKey, 'string');
    // grouped by the route's default groupBy (alertname, rolloutId); rolloutId's label is `rollout`
    assert.deepEqual(firing?.groupLabels, { alertname: alert.name, rollout: alert.rolloutId });
    assert.match(firing?.groupKey as string, /:\{alertname="RolloutControlPlaneOverload", rollout="telemetry-agent-2024-12-11"\}$/);
    assert.equal(firing?.alerts.length, 1);
    assert.equal((firing?.commonLabels as Record<string, string>).cluster, 'prod-a,prod-b');
    assert.equal(firing?.alerts[0]?.fingerprint, alert.fingerprint);
    assert.equal(firing?.alerts[0]?.endsAt, '0001-01-01T00:00:00Z');
    assert.equal(resolved?.alerts[0]?.endsAt, '2024-12-11T23:07:45.000Z');
    assert.equal(resolved?.alerts[0]?.status, 'resolved');
  });

  it('lists every notification of the alert with status and HTTP code', async () => {
    let entries = await notificationsOf(app.url, alert.id);
    await waitUntil(async () => {
      entries = await notificationsOf(app.url, alert.id);
      return entries.length === 6 && entries.every((e) => e.status === 'delivered');
    }, 'all six notifications recorded as delivered');
    assert.deepEqual(entries.map((e) => `${e.kind}/${e.channel}`).sort(), [
      'firing/alertmanager',
      'firing/slack',
      'firing/webhook',
      'resolved/alertmanager',
      'resolved/slack',
      'resolved/webhook',
    ]);
    assert.ok(entries.every((e) => e.httpStatus === 200 && e.attemptLog.length === 1 && e.attemptLog[0]?.outcome === 'delivered'));
  });

  it('rejects a malformed alertId with a 400', async () => {
    const res = await fetch(`${app.url}/api/v1/notifications?alertId=${'x'.repeat(65)}`);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'bad_request');
  });

  it('exports delivery metrics', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const lines = text.split('\n').filter((l) => l.startsWith('wavewatch_notif'));
    const has = (line: string): void => assert.ok(lines.includes(line), `${line} not in:\n${lines.join('\n')}`);
    has('wavewatch_notifications_total{channel="slack",outcome="delivered"} 2');
    has('wavewatch_notifications_total{channel="webhook",outcome="failed"} 0');
    has('wavewatch_notification_delivery_seconds_count{channel="alertmanager"} 2');
    has('wavewatch_notify_outbox_depth 0');
    assert.ok(lines.some((l) => /^wavewatch_notify_queue_depth \d+$/.test(l)));
  });
});
