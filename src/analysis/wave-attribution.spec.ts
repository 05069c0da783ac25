import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNALS } from '../signals/signal.types.js';
import { analysisConfig } from './analysis-config.js';
import { analyze, Analyzer } from './analyzer.js';
import type { AnalysisResult } from './analysis.types.js';
import { CONTROLS, injectNodesSquaredLoad, ROLLOUT, STEP_MS, standardFleet, T0, twoWaveRollout, WAVE1, WAVE2 } from './testing/fleet-fixtures.js';
import { rolloutFixture } from './testing/rollout-fixtures.js';
import { firstTimeWhere, overlay } from './testing/synthetic-fleet.js';

const config = analysisConfig();
const names = (r: AnalysisResult): string[] => r.findings.map((f) => f.alertName);

describe('wave attribution', () => {
  it('attributes a nodes²-scaled overload to the wave within 2 scrape intervals of its onset', () => {
    const big = { name: 'w1-big', nodes: 1500 };
    const reader = standardFleet(STEP_MS, 7, [big]);
    const wave1 = [...WAVE1, big];
    injectNodesSquaredLoad(reader, wave1, T0);
    const rollout = twoWaveRollout(wave1, WAVE2);
    const truth = firstTimeWhere(reader, big.name, SIGNALS.apiBusySeats, T0, (v) => v / 600 >= config.overloadUtilization);
    assert.ok(truth !== undefined);

    const analyzer = new Analyzer();
    let detected: AnalysisResult | undefined;
    let detectedAt = 0;
    for (let t = T0; t <= T0 + 600_000 && !detected; t += STEP_MS) {
      reader.cutoffMs = t;
      const result = analyzer.evaluate({ reader, rollouts: [rollout], config, nowMs: t });
      assert.ok(!names(result).includes('ControlPlaneOverload'), `unattributed overload at ${t - T0} ms`);
      if (result.findings.some((f) => f.alertName === 'RolloutControlPlaneOverload')) {
        detected = result;
        detectedAt = t;
      }
    }
    assert.ok(detected, 'overload never detected');
    assert.ok(detectedAt - truth <= 2 * STEP_MS, `detected ${(detectedAt - truth) / 1000} s after onset`);
    const finding = detected.findings.find((f) => f.alertName === 'RolloutControlPlaneOverload')!;
    assert.equal(finding.onsetMs, truth);
    assert.equal(finding.rolloutId, ROLLOUT);
    assert.equal(finding.wave, 'wave-1');
    assert.deepEqual(finding.clusters, [big.name]);
    assert.equal(finding.key, `RolloutControlPlaneOverload|${ROLLOUT}|${big.name}`);
    assert.ok(finding.figures.utilization! >= 0.9);
    const health = detected.rollouts[0]!;
    assert.equal(health.verdict, 'rollback');
    assert.equal(health.reasons[0]!.code, 'control_plane_overload');
    assert.equal(health.reasons[0]!.severity, 'critical');
    assert.equal(health.reasons[0]!.cluster, big.name);
  });

  it('lets a fleet-wide ramp cancel against the controls: no alert, no reason, proceed', () => {
    const reader = standardFleet();
    const ramp = (v: number, s: number): number => v * (1 + 0.6 * Math.min(1, s / 1200));
    for (const c of [...WAVE1, ...WAVE2, ...CONTROLS]) {
      for (const s of [SIGNALS.apiBusySeats, SIGNALS.apiRequestRate, SIGNALS.apiReadRate, SIGNALS.apiWatchRate, SIGNALS.apiMutatingRate, SIGNALS.apiInflight]) {
        overlay(reader, c.name, s, T0, ramp);
      }
    }
    const now = T0 + 900_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: now });
    // the wave clusters did move well past the relative floor: only the controls explain it
    const busy = reader.values('w1-d', SIGNALS.apiBusySeats, now, now)[0]!;
    assert.ok(busy > 1.3 * (8 + 0.03 * 400));
    assert.deepEqual(result.findings, []);
    assert.equal(result.rollouts[0]!.verdict, 'proceed');
    assert.deepEqual(result.rollouts[0]!.reasons.filter((r) => r.code === 'control_plane_overload'), []);
  });

  it('raises ControlPlaneOverload, not the rollout alert, for a spike in a control cluster', () => {
    const reader = standardFleet();
    overlay(reader, 'ctl-05', SIGNALS.apiBusySeats, T0 + 180_000, () => 590);
    const now = T0 + 300_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: now });
    assert.deepEqual(names(result), ['ControlPlaneOverload']);
    const finding = result.findings[0]!;
    assert.equal(finding.rolloutId, null);
    assert.deepEqual(finding.clusters, ['ctl-05']);
    assert.equal(finding.onsetMs, T0 + 180_000);
    assert.equal(result.rollouts[0]!.verdict, 'proceed');
  });

  it('does not blame a wave for an overload that began before the wave reached the cluster', () => {
    const reader = standardFleet();
    overlay(reader, 'w1-d', SIGNALS.apiBusySeats, T0 - 300_000, () => 570);
    const now = T0 + 300_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: now });
    assert.deepEqual(names(result), ['ControlPlaneOverload']);
    assert.equal(result.findings[0]!.onsetMs, T0 - 300_000);
    assert.notEqual(result.rollouts[0]!.verdict, 'rollback');
  });

  it('reports a harmless attributable request-pattern change as a reason, without alert, and proceeds', () => {
    const reader = standardFleet();
    for (const c of WAVE1) {
      overlay(reader, c.name, SIGNALS.apiWatchRate, T0, (v) => v + 40);
      overlay(reader, c.name, SIGNALS.apiRequestRate, T0, (v) => v + 40);
    }
    const rollout = rolloutFixture(ROLLOUT, T0 - 60_000, [
      { wave: 'wave-1', clusters: WAVE1.map((c) => c.name), startedAtMs: T0 },
      { wave: 'wave-2', clusters: ['w2-b'], startedAtMs: null },
    ]);
    const now = T0 + 300_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [rollout], config, nowMs: now });
    assert.deepEqual(result.findings, []);
    const health = result.rollouts[0]!;
    assert.equal(health.verdict, 'proceed');
    const watch = health.reasons.find((r) => r.signal === SIGNALS.apiWatchRate);
    assert.ok(watch, JSON.stringify(health.reasons));
    assert.equal(watch.code, 'control_plane_overload');
    assert.equal(watch.severity, 'warning');
    assert.equal(watch.wave, 'wave-1');
    assert.ok(watch.observed! - watch.baseline! > 30);
    assert.match(watch.message, /harmless/);
  });

  it('ignores overloads of clusters in a rollout that ended long ago', () => {
    const reader = standardFleet();
    injectNodesSquaredLoad(reader, [{ name: 'w2-a', nodes: 1500 }], T0);
    const ended = { ...twoWaveRollout(WAVE2, WAVE1), status: 'completed' as const, endedAtMs: T0 - 7200_000 };
    const now = T0 + 600_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [ended], config, nowMs: now });
    assert.deepEqual(names(result), ['ControlPlaneOverload']);
    assert.equal(result.rollouts[0]!.verdict, 'proceed');
  });
});
