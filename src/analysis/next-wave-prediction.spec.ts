import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNALS } from '../signals/signal.types.js';
import { analysisConfig } from './analysis-config.js';
import { analyze } from './analyzer.js';
import { injectNodesSquaredLoad, ROLLOUT, STEP_MS, standardFleet, T0, twoWaveRollout, WAVE1, WAVE2 } from './testing/fleet-fixtures.js';
import { overlay } from './testing/synthetic-fleet.js';

const config = analysisConfig();
const NOW = T0 + 300_000;

function evaluate(wave1 = WAVE1, wave2 = WAVE2, inject = wave1, now = NOW) {
  const reader = standardFleet();
  injectNodesSquaredLoad(reader, inject, T0);
  reader.cutoffMs = now;
  return { reader, result: analyze({ reader, rollouts: [twoWaveRollout(wave1, wave2)], config, nowMs: now }) };
}

describe('next-wave prediction', () => {
  it('holds a next wave whose large cluster the nodes² effect of small clusters would overload', () => {
    const { result } = evaluate();
    const health = result.rollouts[0]!;
    assert.equal(health.verdict, 'hold');
    const next = health.nextWave!;
    assert.equal(next.wave, 'wave-2');
    assert.equal(next.verdict, 'hold');
    assert.ok(next.fit && !next.fit.assumed);
    assert.ok(Math.abs(next.fit.exponent - 2) < 0.3, `exponent ${next.fit.exponent}`);
    assert.ok(next.fit.exponentStdError !== null && next.fit.exponentStdError < 0.3);
    assert.deepEqual(next.fit.clustersUsed, WAVE1.map((c) => c.name));
    const big = next.predictions.find((p) => p.cluster === 'w2-a')!;
    const small = next.predictions.find((p) => p.cluster === 'w2-b')!;
    assert.ok(big.predictedUtilization > config.headroom, `w2-a ${big.predictedUtilization}`);
    assert.ok(small.predictedUtilization < config.headroom);
    assert.equal(big.capacity, 600);
    assert.equal(big.signal, SIGNALS.apiBusySeats);
    // a linear extrapolation of the largest wave-1 effect would have let it through
    assert.ok(8 + 0.03 * 1500 + 0.00025 * 400 ** 2 * (1500 / 400) < config.headroom * 600);
    const finding = result.findings.find((f) => f.alertName === 'NextWaveCapacityRisk')!;
    assert.equal(finding.key, `NextWaveCapacityRisk|${ROLLOUT}|wave-2`);
    assert.deepEqual(finding.clusters, ['w2-a']);
    assert.equal(finding.onsetMs, T0 + config.minWaveAgeSeconds * 1000);
    assert.ok(finding.figures.predictedUtilization! > 0.8);
    assert.ok(health.reasons.some((r) => r.code === 'next_wave_capacity' && r.cluster === 'w2-a' && r.wave === 'wave-2'));
    // the small-cluster effect itself is harmless: no overload alert
    assert.ok(!result.findings.some((f) => f.alertName === 'RolloutControlPlaneOverload' || f.alertName === 'ControlPlaneOverload'));
  });

  it('proceeds before a safe next wave', () => {
    const { result } = evaluate(WAVE1, [WAVE2[1]!]);
    const health = result.rollouts[0]!;
    assert.equal(health.nextWave!.verdict, 'proceed');
    assert.equal(health.verdict, 'proceed');
    assert.deepEqual(result.findings, []);
  });

  it('assumes nodes² and says so when one cluster is all the evidence', () => {
    const { result } = evaluate([WAVE1[3]!], WAVE2);
    const health = result.rollouts[0]!;
    const fit = health.nextWave!.fit!;
    assert.equal(fit.assumed, true);
    assert.equal(fit.exponent, 2);
    assert.ok(health.reasons.some((r) => r.code === 'no_data' && /too little evidence/.test(r.message)));
    assert.equal(health.nextWave!.verdict, 'hold');
  });

  it('proceeds with a no_data reason when the wave has no measurable effect at all', () => {
    const { result } = evaluate(WAVE1, WAVE2, []);
    const health = result.rollouts[0]!;
    assert.equal(health.nextWave!.fit, null);
    assert.equal(health.nextWave!.verdict, 'proceed');
    const noData = health.reasons.find((r) => r.code === 'no_data');
    assert.ok(noData && /no measurable busy-seat effect/.test(noData.message));
    assert.equal(noData.observed, 1500);
  });

  it('holds while the latest wave is too young to measure', () => {
    const { result } = evaluate(WAVE1, WAVE2, WAVE1, T0 + 2 * STEP_MS);
    const health = result.rollouts[0]!;
    assert.equal(health.nextWave!.verdict, 'hold');
    assert.ok(health.reasons.some((r) => r.code === 'no_data' && r.wave === 'wave-1'));
  });

  it('bounds an API change with no measurable seat cost by its detection limit, scaled as nodes²', () => {
    const huge = { name: 'w2-huge', nodes: 9000 };
    const reader = standardFleet(STEP_MS, 7, [huge]);
    for (const c of WAVE1) overlay(reader, c.name, SIGNALS.apiReadRate, T0, (v) => v + 30);
    reader.cutoffMs = NOW;
    const gate = (wave2: typeof WAVE2) => analyze({ reader, rollouts: [twoWaveRollout(WAVE1, wave2)], config, nowMs: NOW }).rollouts[0]!;
    const risky = gate([huge]);
    assert.equal(risky.nextWave!.verdict, 'hold');
    assert.equal(risky.nextWave!.fit!.assumed, true);
    assert.ok(risky.reasons.some((r) => r.code === 'no_data' && /below detection/.test(r.message)));
    const modest = gate([WAVE2[0]!]);
    assert.equal(modest.nextWave!.verdict, 'proceed');
    assert.ok(modest.nextWave!.predictions[0]!.predictedUtilization < config.headroom);
  });
});
