import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNALS } from '../signals/signal.types.js';
import { analysisConfig } from './analysis-config.js';
import { analyze } from './analyzer.js';
import { ROLLOUT, standardFleet, T0, twoWaveRollout, WAVE1 } from './testing/fleet-fixtures.js';
import { overlay } from './testing/synthetic-fleet.js';

const config = analysisConfig();
const lost = (r: ReturnType<typeof analyze>): string[] => r.findings.filter((f) => f.alertName === 'TelemetryLost').map((f) => f.clusters[0]!);

describe('telemetry loss', () => {
  it('holds when a wave cluster goes silent while the others report', () => {
    const reader = standardFleet();
    reader.silence('w1-b', T0 + 120_000);
    const now = T0 + 300_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: now });
    assert.deepEqual(lost(result), ['w1-b']);
    const finding = result.findings.find((f) => f.alertName === 'TelemetryLost')!;
    assert.equal(finding.key, `TelemetryLost|${ROLLOUT}|w1-b`);
    assert.equal(finding.onsetMs, T0 + 105_000 + config.telemetryLostAfterSeconds * 1000);
    const health = result.rollouts[0]!;
    assert.equal(health.verdict, 'hold');
    assert.ok(health.reasons.some((r) => r.code === 'telemetry_lost' && r.cluster === 'w1-b'));
  });

  it('does not call a short gap a loss', () => {
    const reader = standardFleet();
    reader.silence('w1-b', T0 + 240_000);
    reader.cutoffMs = T0 + 300_000;
    assert.deepEqual(lost(analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: T0 + 300_000 })), []);
  });

  it('judges against the wall clock in live operation when the whole fleet goes quiet', () => {
    const reader = standardFleet();
    const now = T0 + 180_000;
    reader.cutoffMs = now;
    const input = { reader, rollouts: [twoWaveRollout()], config, nowMs: now };
    assert.deepEqual(lost(analyze(input)), []);
    // the next wave's clusters too: a prediction for them is blind
    assert.deepEqual(lost(analyze({ ...input, wallClockMs: now + 300_000 })), ['w1-a', 'w1-b', 'w1-c', 'w1-d', 'w2-a', 'w2-b']);
  });

  it('counts stale apiserver series as lost even while DNS metrics still arrive', () => {
    const reader = standardFleet();
    reader.silence('w1-c', T0 + 60_000, [SIGNALS.apiBusySeats, SIGNALS.apiRequestRate, SIGNALS.apiReadRate, SIGNALS.apiLatencyP99]);
    const now = T0 + 300_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: now });
    assert.deepEqual(lost(result), ['w1-c']);
    assert.match(result.findings.find((f) => f.alertName === 'TelemetryLost')!.description, /apiserver stale/);
  });

  it('counts all scrape targets down as lost', () => {
    const reader = standardFleet();
    overlay(reader, 'w1-a', SIGNALS.targetsUp, T0 + 200_000, () => 0);
    overlay(reader, 'w1-a', SIGNALS.targetsDown, T0 + 200_000, () => 3);
    const now = T0 + 240_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout()], config, nowMs: now });
    assert.deepEqual(lost(result), ['w1-a']);
    assert.equal(result.findings.find((f) => f.alertName === 'TelemetryLost')!.onsetMs, T0 + 195_000 + 15_000);
  });

  it('holds for a wave cluster that never reported', () => {
    const reader = standardFleet();
    const rollout = twoWaveRollout([{ name: 'ghost', nodes: 10 }]);
    reader.cutoffMs = T0 + 300_000;
    const result = analyze({ reader, rollouts: [rollout], config, nowMs: T0 + 300_000 });
    assert.deepEqual(lost(result), ['ghost']);
    assert.equal(result.rollouts[0]!.verdict, 'hold');
  });

  it('holds for a wave cluster that has not reported yet, before its loss threshold passes', () => {
    // between the young-wave rule (60 s) and telemetryLostAfterSeconds (90 s) a silent cluster
    // must not let the gate say proceed: nothing was seen of it
    const reader = standardFleet();
    const now = T0 + 75_000;
    reader.cutoffMs = now;
    const result = analyze({ reader, rollouts: [twoWaveRollout([...WAVE1, { name: 'ghost', nodes: 10 }])], config, nowMs: now });
    assert.deepEqual(lost(result), []);
    const health = result.rollouts[0]!;
    assert.equal(health.verdict, 'hold');
    assert.ok(health.reasons.some((r) => r.code === 'no_data' && r.cluster === 'ghost'), JSON.stringify(health.reasons));
  });
});
