import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { groundTruth, loadScenario, resolveScenario, scenarioPath, simulate, simulateFrames, type GroundTruth, type Scenario, type ScrapeTick } from '../scenarios/index.js';
import { IncreaseTracker, labelValue, metricIs } from '../scenarios/series-query.js';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** first scrape time at which `pred` holds, or null */
function firstTime(ticks: ScrapeTick[], step: (t: ScrapeTick) => number, pred: (v: number) => boolean): number | null {
  for (const t of ticks) if (pred(step(t))) return t.atMs;
  return null;
}

const collapseScenario = parseYaml(readFileSync(scenarioPath('collapse-small'), 'utf8')) as Record<string, unknown> & { rollout: Record<string, unknown> };

describe('ground truth against the generated series', () => {
  let scenario: Scenario;
  let truth: GroundTruth;
  let ticks: ScrapeTick[];
  before(() => {
    scenario = resolveScenario(collapseScenario);
    truth = groundTruth(scenario);
    ticks = [...simulate(scenario)].filter((i): i is ScrapeTick => i.kind === 'scrape');
  });

  it('overloads and collapses only the big cluster, after its wave started', () => {
    const huge = truth.clusters.find((c) => c.cluster === 'huge')!;
    const tiny = truth.clusters.find((c) => c.cluster === 'tiny')!;
    assert.ok(huge.overloadOnsetMs !== null && huge.overloadOnsetMs >= scenario.rollout!.waves[1]!.startMs);
    assert.ok(huge.collapseMs !== null && huge.collapseMs > huge.overloadOnsetMs);
    assert.ok(huge.dnsFailureOnsetMs !== null && huge.servfailVisibleMs !== null && huge.servfailVisibleMs > huge.dnsFailureOnsetMs);
    assert.equal(tiny.overloadOnsetMs, null);
    assert.ok(tiny.peakUtilisation < 0.05);
    assert.deepEqual(truth.waves.map((w) => w.safe), [true, false]);
  });

  it('APF rejections in the series start at the overload onset (± one interval)', () => {
    const huge = truth.clusters.find((c) => c.cluster === 'huge')!;
    const rejected = new IncreaseTracker(metricIs('apiserver_flowcontrol_rejected_requests_total', 'huge'));
    const seen = firstTime(ticks, (t) => rejected.increase(t), (v) => v > 0);
    assert.ok(seen !== null);
    assert.ok(Math.abs(seen - huge.overloadOnsetMs!) <= scenario.intervalMs, `rejections at ${seen}, onset ${huge.overloadOnsetMs}`);
  });

  it('the SERVFAIL ratio from the counters crosses 1 % at the ground-truth time (± one interval)', () => {
    const huge = truth.clusters.find((c) => c.cluster === 'huge')!;
    const servfail = new IncreaseTracker(metricIs('coredns_dns_responses_total', 'huge', { rcode: 'SERVFAIL' }));
    const all = new IncreaseTracker(metricIs('coredns_dns_responses_total', 'huge'));
    const crossed = firstTime(ticks, (t) => { const s = servfail.increase(t); const a = all.increase(t); return a > 0 ? s / a : 0; }, (r) => r >= 0.01);
    assert.ok(crossed !== null);
    assert.ok(Math.abs(crossed - huge.servfailVisibleMs!) <= scenario.intervalMs, `crossed at ${crossed}, truth ${huge.servfailVisibleMs}`);
  });

  it('misses fail behind the cache before clients see it: miss failures from the onset, visible ratio still under 1 %', () => {
    const huge = truth.clusters.find((c) => c.cluster === 'huge')!;
    const failedMisses = new IncreaseTracker(metricIs('coredns_dns_responses_total', 'huge', { rcode: 'SERVFAIL', plugin: 'kubernetes' }));
    const onset = firstTime(ticks, (t) => failedMisses.increase(t), (v) => v > 0);
    assert.equal(onset, huge.dnsFailureOnsetMs);
    assert.ok(huge.servfailVisibleMs! - onset! >= 4 * scenario.intervalMs, 'the cache hides the failure for several scrapes');
  });

  it("busy seats from rate(apiserver_request_duration_seconds_sum) match the model's demand (Little's law)", () => {
    const frames = simulateFrames(scenario).find((f) => f.model.cluster.name === 'huge')!.frames;
    const sum = new IncreaseTracker(metricIs('apiserver_request_duration_seconds_sum', 'huge'));
    const dt = scenario.intervalMs / 1000;
    let compared = 0;
    ticks.forEach((t, i) => {
      const busy = sum.increase(t) / dt;
      const f = frames[i]!;
      if (i === 0 || f.utilisation > 0.8 || f.apiserverDown) return;
      assert.ok(Math.abs(busy - f.demandSeats) <= 0.05 * f.demandSeats + 0.5, `at ${i}: busy ${busy} vs demand ${f.demandSeats}`);
      compared++;
    });
    assert.ok(compared > 20);
  });
});

describe('incident scenario', () => {
  it('earlier waves show a small effect that a power law over node count extrapolates to overload of the last wave', () => {
    const scenario = loadScenario(scenarioPath('incident-2024-12-11'));
    const truth = groundTruth(scenario);
    const [w1, w2, , last] = scenario.rollout!.waves;
    const frames = simulateFrames(scenario);
    // effect = busy seats after the agent is everywhere minus before the wave (a model-level view of what the analysis must measure)
    const points: { nodes: number; effect: number }[] = [];
    for (const w of [w1!, w2!]) {
      for (const name of w.clusters) {
        const { model, frames: fs } = frames.find((f) => f.model.cluster.name === name)!;
        const mean = (from: number, to: number): number => {
          const sel = fs.filter((f) => f.atMs >= from && f.atMs < to);
          return sel.reduce((s, f) => s + f.demandSeats, 0) / sel.length;
        };
        const effect = mean(w.startMs + w.spreadMs, w.startMs + w.spreadMs + 300_000) - mean(w.startMs - 300_000, w.startMs);
        points.push({ nodes: model.cluster.nodes, effect });
      }
    }
    assert.ok(points.every((p) => p.effect > 0), 'every early cluster shows the effect');
    assert.ok(truth.waves.slice(0, 2).every((w) => w.maxActualUtilisation < 0.2), 'and it is harmless there');
    // least squares on log-log
    const xs = points.map((p) => Math.log(p.nodes));
    const ys = points.map((p) => Math.log(p.effect));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    assert.ok(slope > 1.5, `effect grows faster than linearly with nodes (exponent ${slope.toFixed(2)})`);
    const biggest = truth.clusters.filter((c) => last!.clusters.includes(c.cluster)).sort((a, b) => b.nodes - a.nodes)[0]!;
    const predicted = Math.exp(my + slope * (Math.log(biggest.nodes) - mx)) / biggest.capacitySeats;
    assert.ok(predicted > 0.8, `predicted utilisation ${predicted.toFixed(2)} of ${biggest.cluster} exceeds the headroom`);
    assert.ok(biggest.overloadOnsetMs !== null);
    assert.deepEqual(truth.waves.map((w) => w.expectedGate), ['proceed', 'proceed', 'proceed', 'hold']);
  });

  it('benign scenarios require no alert and every wave is safe', () => {
    for (const name of ['benign-request-pattern', 'benign-traffic-ramp', 'benign-spike-outside', 'benign-upstream-dns-outage', 'benign-restarts-and-gaps']) {
      const truth = groundTruth(loadScenario(scenarioPath(name)));
      assert.deepEqual(truth.required, [], name);
      assert.ok(truth.waves.every((w) => w.safe), name);
    }
  });

  it('the upstream DNS outage is a real hidden DNS failure, not the control plane', () => {
    const truth = groundTruth(loadScenario(scenarioPath('benign-upstream-dns-outage')));
    const hit = truth.clusters.filter((c) => c.dnsFailureOnsetMs !== null);
    assert.equal(hit.length, 1);
    assert.equal(hit[0]!.dnsFailureCause, 'upstream');
    assert.equal(hit[0]!.collapseMs, null);
    assert.ok(truth.allowed.some((a) => a.name === 'DnsFailureMaskedByCache' && a.rolloutId === null));
  });

  it('legacy CoreDNS metrics come without the plugin label and with coredns_forward_responses_total', () => {
    const scenario = resolveScenario({ ...collapseScenario, duration: '1m', fleet: [{ name: 'old', nodes: 100, legacyCorednsMetrics: true }], rollout: undefined });
    const tick = [...simulate(scenario)].find((i): i is ScrapeTick => i.kind === 'scrape')!;
    const names = new Set(tick.labels.map((l) => l[0]!.value));
    assert.ok(names.has('coredns_forward_responses_total') && !names.has('coredns_proxy_request_duration_seconds_count'));
    assert.ok(!names.has('coredns_cache_requests_total'));
    assert.ok(tick.labels.filter((l) => l[0]!.value === 'coredns_dns_responses_total').every((l) => labelValue(l, 'plugin') === undefined));
  });
});
