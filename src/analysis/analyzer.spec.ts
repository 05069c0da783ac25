import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNALS } from '../signals/signal.types.js';
import { analysisConfig } from './analysis-config.js';
import { analyze, Analyzer } from './analyzer.js';
import { injectNodesSquaredLoad, STEP_MS, standardFleet, T0, twoWaveRollout, WAVE1 } from './testing/fleet-fixtures.js';
import { overlay } from './testing/synthetic-fleet.js';

const config = analysisConfig();

function incidentFleet() {
  const big = { name: 'w1-big', nodes: 1500 };
  const reader = standardFleet(STEP_MS, 11, [big]);
  injectNodesSquaredLoad(reader, [...WAVE1, big], T0);
  overlay(reader, 'ctl-07', SIGNALS.dnsMissFailureRatio, T0 + 60_000, () => 0.1);
  reader.silence('w1-c', T0 + 100_000);
  return { reader, rollout: twoWaveRollout([...WAVE1, big]) };
}

describe('Analyzer', () => {
  it('gives deep-equal output for the same input, fresh or incremental', () => {
    const { reader, rollout } = incidentFleet();
    const now = T0 + 360_000;
    reader.cutoffMs = now;
    const input = { reader, rollouts: [rollout], config, nowMs: now };
    const first = analyze(input);
    assert.ok(first.findings.length >= 3, first.findings.map((f) => f.key).join());
    assert.deepEqual(analyze(input), first);

    const incremental = new Analyzer();
    for (let t = T0 - 60_000; t <= now; t += STEP_MS) {
      reader.cutoffMs = t;
      incremental.evaluate({ reader, rollouts: [rollout], config, nowMs: t });
    }
    reader.cutoffMs = now;
    assert.deepEqual(incremental.evaluate(input), first);
  });

  it('sorts findings by key and lists every cluster once in name order', () => {
    const { reader, rollout } = incidentFleet();
    reader.cutoffMs = T0 + 360_000;
    const result = analyze({ reader, rollouts: [rollout], config });
    const keys = result.findings.map((f) => f.key);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(new Set(keys).size, keys.length);
    const clusters = result.clusters.map((c) => c.cluster);
    assert.deepEqual(clusters, [...clusters].sort());
    assert.equal(result.evaluatedAt, T0 + 360_000);
    const big = result.clusters.find((c) => c.cluster === 'w1-big')!;
    assert.ok(big.utilization! > 0.9 && big.capacitySeats === 600 && big.nodes === 1500);
  });

  it('answers with empty output before any data', () => {
    const reader = standardFleet();
    reader.cutoffMs = T0 - 7200_000;
    const result = analyze({ reader, rollouts: [], config });
    assert.deepEqual(result.findings, []);
    assert.equal(result.clusters.every((c) => c.busySeats === null), true);
  });
});
