import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { AlertView } from '../src/alerts/alert.types.js';
import { groundTruth, loadScenario, scenarioPath, simulate, type ScrapeTick } from '../scenarios/index.js';
import { clusterExposition } from '../scenarios/exposition.js';
import { mixinAnchors } from '../scenarios/mixin-anchor.js';
import { renderScore } from '../scenarios/score-table.js';
import { score } from '../scenarios/score.js';

const scenario = loadScenario(scenarioPath('collapse-small'));
const truth = groundTruth(scenario);

function alert(name: AlertView['name'], cluster: string, atMs: number, rolloutId: string | null): AlertView {
  return {
    id: `${name}-${cluster}-${atMs}`,
    fingerprint: `${name}-${cluster}`,
    name,
    severity: 'critical',
    state: 'firing',
    startsAt: new Date(atMs).toISOString(),
    endsAt: null,
    rolloutId,
    wave: null,
    clusters: [cluster],
    timeToImpactSeconds: null,
    labels: {},
    annotations: { summary: '', description: '', runbook_url: '' },
    figures: {},
  };
}

const perfectGates = truth.waves.map((w) => ({ wave: w.wave, status: w.expectedGate === 'proceed' ? 200 : 409, verdict: w.expectedGate }));

describe('score', () => {
  it('passes when every required alert comes in time and the gate answers as expected', () => {
    const alerts = truth.required.map((e) => alert(e.name, e.cluster, e.atMs + scenario.intervalMs, e.rolloutId));
    const report = score(truth, alerts, perfectGates);
    assert.deepEqual(report.misses, []);
    assert.ok(report.passed);
    assert.ok(report.detections.every((d) => d.lagIntervals === 1));
    const dns = report.detections.find((d) => d.expected.name === 'DnsFailureMaskedByCache')!;
    assert.equal(dns.leadSeconds, (truth.clusters.find((c) => c.cluster === 'huge')!.servfailVisibleMs! - dns.expected.atMs - scenario.intervalMs) / 1000);
  });

  it('fails on late or missing alerts, false alerts and a proceed before an unsafe wave', () => {
    const [first] = truth.required;
    const late = alert(first!.name, first!.cluster, first!.atMs + 3 * scenario.intervalMs, first!.rolloutId);
    const noise = alert('RolloutControlPlaneOverload', 'tiny', truth.waves[0]!.startMs, truth.rolloutId);
    const report = score(truth, [late, noise], truth.waves.map((w) => ({ wave: w.wave, status: 200, verdict: 'proceed' })));
    assert.equal(report.passed, false);
    assert.equal(report.falseAlerts.length, 1);
    assert.ok(report.misses.some((m) => m.includes('3.0 intervals')));
    assert.ok(report.misses.some((m) => m.includes('never fired')));
    assert.ok(report.misses.some((m) => m.startsWith('gate before w2')));
    assert.match(renderScore(report), /targets missed/);
  });

  it('accepts a DNS alert without rollout id for a rollout-caused DNS failure, but not an unattributed overload alert', () => {
    const alerts = truth.required.map((e) => alert(e.name, e.cluster, e.atMs, e.name === 'DnsFailureMaskedByCache' ? null : e.rolloutId));
    assert.ok(score(truth, alerts, perfectGates).passed);
    const unattributed = truth.required.map((e) => alert(e.name, e.cluster, e.atMs, null));
    const report = score(truth, unattributed, perfectGates);
    assert.ok(report.misses.some((m) => m.startsWith('RolloutControlPlaneOverload for huge never fired')));
  });

  it('does not count consequences (TelemetryLost after the collapse) as false alerts', () => {
    const huge = truth.clusters.find((c) => c.cluster === 'huge')!;
    const alerts = [...truth.required.map((e) => alert(e.name, e.cluster, e.atMs, e.rolloutId)), alert('TelemetryLost', 'huge', huge.collapseMs! + 60_000, truth.rolloutId)];
    const report = score(truth, alerts, perfectGates);
    assert.equal(report.falseAlerts.length, 0);
    assert.equal(report.allowedAlerts.length, 1);
  });
});

describe('live exporter', () => {
  it('renders one cluster in text exposition format without stale markers or up', () => {
    const tick = [...simulate(scenario)].filter((i): i is ScrapeTick => i.kind === 'scrape')[3]!;
    const text = clusterExposition(tick, 'tiny');
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.ok(samples.length > 100);
    assert.ok(samples.every((l) => l.includes('cluster="tiny"') && /\} -?[0-9.e+]+$/.test(l)));
    assert.ok(!samples.some((l) => l.startsWith('up{')));
    assert.match(text, /^# TYPE apiserver_request_duration_seconds histogram$/m);
    const families = text.split('\n').filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2]);
    assert.equal(new Set(families).size, families.length, 'each family appears once');
  });
});

describe('mixin anchor (Prometheus 2.42 promtool)', () => {
  const promtool = existsSync('/usr/bin/promtool');
  it('community alerts fire only after client-visible impact and 15 minutes of downtime', { skip: promtool ? false : 'promtool not installed at /usr/bin/promtool' }, async () => {
    const result = await mixinAnchors(scenario);
    assert.equal(result.note, null);
    const huge = truth.clusters.find((c) => c.cluster === 'huge')!;
    const fired = (name: string): number | undefined => result.alerts!.find((a) => a.name === name && a.cluster === 'huge')?.firesAtMs;
    const dns = fired('CoreDNSErrorsHigh(warning)');
    assert.ok(dns !== undefined, 'CoreDNSErrorsHigh fires');
    assert.ok(dns >= huge.servfailVisibleMs! + 10 * 60_000 - 60_000, 'only after 10 minutes of visible SERVFAIL');
    const down = fired('KubeAPIDown(critical)');
    assert.ok(down !== undefined && down >= huge.collapseMs! + 15 * 60_000);
    assert.ok(!result.alerts!.some((a) => a.cluster === 'tiny'), 'nothing on the healthy cluster');
  });
});
