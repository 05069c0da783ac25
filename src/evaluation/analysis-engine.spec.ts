import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySignalReader } from '../analysis/testing/memory-signal-reader.js';
import { rolloutFixture } from '../analysis/testing/rollout-fixtures.js';
import { loadConfig } from '../config/load-config.js';
import type { RolloutState } from '../rollouts/rollout.types.js';
import type { RolloutsService } from '../rollouts/rollouts.service.js';
import { AnalysisEngine } from './analysis-engine.js';

const STEP = 15_000;
const T0 = Date.parse('2024-12-11T22:00:00Z');
const HOUR = 3_600_000;

function ended(id: string, status: RolloutState['status'], endedAtMs: number): RolloutState {
  return { ...rolloutFixture(id, T0, [{ wave: 'w1', clusters: ['a'], startedAtMs: T0 }]), status, endedAtMs };
}

// The hot set: each step evaluates only rollouts that can still be blamed.
describe('analysis engine hot set', () => {
  const rollouts: RolloutState[] = [
    rolloutFixture('running', T0, [{ wave: 'w1', clusters: ['a'], startedAtMs: T0 }]),
    ended('completed-recently', 'completed', T0 + HOUR),
    ended('rolled-back-long-ago', 'rolled_back', T0 + 10 * 60_000),
    ended('aborted-long-ago', 'aborted', T0 + 10 * 60_000),
    rolloutFixture('not-started-yet', T0 + 3 * HOUR, [{ wave: 'w1', clusters: ['a'], startedAtMs: null }]),
  ];
  const reader = new MemorySignalReader(STEP);
  reader.set('a', 'api_busy_seats', T0, new Array<number>(1000).fill(60));
  const stub = { all: () => rollouts } as unknown as RolloutsService;
  const engine = new AnalysisEngine(reader, stub, loadConfig({}));

  it('evaluates in-progress rollouts and those ended within the grace period, not older ones or future ones', () => {
    const now = T0 + 2 * HOUR;
    assert.deepEqual(engine.evaluate(now).rollouts.map((r) => r.rolloutId), ['running', 'completed-recently']);
  });

  it('a rollout that ends after the evaluated step is still in progress at that step', () => {
    assert.deepEqual(engine.evaluate(T0 + 5 * 60_000).rollouts.map((r) => r.rolloutId), ['running', 'completed-recently', 'rolled-back-long-ago', 'aborted-long-ago']);
  });

  it('a rollout outside the hot set is still answered on its own', () => {
    assert.deepEqual(engine.evaluateOne(T0 + 2 * HOUR, rollouts[2]!).rollouts.map((r) => r.verdict), ['proceed']);
  });
});
