import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertView } from '../alerts/alert.types.js';
import { configSchema } from '../config/config.schema.js';
import { matchingRoutes } from './notify-route.js';

const routes = configSchema.parse({
  notify: {
    routes: [
      { channel: 'slack', url: 'https://hooks.slack.com/services/A', matchSeverities: ['critical'] },
      { channel: 'slack', url: 'https://hooks.slack.com/services/A', matchAlertnames: ['DnsErrorsVisible'] },
      { channel: 'webhook', url: 'https://hooks.example/dns', matchLabels: { wave: 'wave-2' } },
      { channel: 'alertmanager', url: 'http://alertmanager:9093' },
    ],
  },
}).notify.routes;

const alert = (overrides: Partial<AlertView>): AlertView => ({
  id: 'a',
  fingerprint: 'f',
  name: 'DnsErrorsVisible',
  severity: 'critical',
  state: 'firing',
  startsAt: '2024-12-11T22:00:00Z',
  endsAt: null,
  rolloutId: null,
  wave: null,
  clusters: [],
  timeToImpactSeconds: null,
  labels: {},
  annotations: { summary: '', description: '', runbook_url: '' },
  figures: {},
  ...overrides,
});

describe('notification routing', () => {
  it('matches by name, severity and labels, and sends once per receiver', () => {
    const matched = matchingRoutes(routes, alert({ wave: 'wave-2' }));
    assert.deepEqual(
      matched.map((r) => r.channel),
      ['slack', 'webhook', 'alertmanager'],
    );
  });

  it('skips routes whose matchers do not hold', () => {
    const matched = matchingRoutes(routes, alert({ name: 'TelemetryLost', severity: 'warning', wave: 'wave-1' }));
    assert.deepEqual(
      matched.map((r) => r.channel),
      ['alertmanager'],
    );
  });

  it('fills route defaults: no group wait, grouped by alertname and rollout, 5 min group interval, 4 h repeat, resolved messages on', () => {
    assert.equal(routes[3]?.groupWaitSeconds, 0);
    assert.deepEqual(routes[3]?.groupBy, ['alertname', 'rolloutId']);
    assert.equal(routes[3]?.groupIntervalSeconds, 300);
    assert.equal(routes[3]?.repeatIntervalSeconds, 4 * 3600);
    assert.equal(routes[3]?.sendResolved, true);
  });
});
