import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveRolloutState, deriveRollouts } from './rollout-state.js';
import type { DeployEvent } from './rollout.types.js';

const T0 = Date.parse('2024-12-11T22:00:00Z');
let seq = 0;
function ev(type: DeployEvent['type'], minute: number, extra: Partial<DeployEvent> = {}): DeployEvent {
  seq += 1;
  return {
    eventId: `e${seq}`,
    type,
    rolloutId: 'telemetry-agent',
    service: null,
    version: null,
    wave: null,
    clusters: [],
    plan: null,
    atMs: T0 + minute * 60_000,
    seq,
    ...extra,
  };
}

const plan = [
  { wave: 'wave-1', clusters: ['small-a', 'small-b'] },
  { wave: 'wave-2', clusters: ['big-a'] },
];

describe('deriveRolloutState', () => {
  it('lists planned waves in plan order with the plan clusters', () => {
    const s = deriveRolloutState([
      ev('rollout_started', 0, { plan, service: 'telemetry-agent', version: 'v1.4.0' }),
      ev('wave_started', 1, { wave: 'wave-1' }),
    ]);
    assert.equal(s.status, 'in_progress');
    assert.equal(s.service, 'telemetry-agent');
    assert.equal(s.version, 'v1.4.0');
    assert.deepEqual(s.plan, plan);
    assert.deepEqual(
      s.waves.map((w) => [w.wave, w.status, w.clusters]),
      [
        ['wave-1', 'in_progress', ['small-a', 'small-b']],
        ['wave-2', 'planned', ['big-a']],
      ],
    );
    assert.equal(s.waves[0]?.startedAtMs, T0 + 60_000);
    assert.equal(s.waves[1]?.startedAtMs, null);
  });

  it('starts a rollout implicitly from a wave without rollout_started or plan', () => {
    const s = deriveRolloutState([ev('wave_started', 5, { wave: 'canary', clusters: ['prod-a'] })]);
    assert.equal(s.status, 'in_progress');
    assert.equal(s.startedAtMs, T0 + 5 * 60_000);
    assert.equal(s.plan, null);
    assert.deepEqual(s.waves, [
      { wave: 'canary', clusters: ['prod-a'], status: 'in_progress', startedAtMs: T0 + 300_000, completedAtMs: null, clusterStatus: { 'prod-a': 'in_progress' } },
    ]);
  });

  it('completes waves and the rollout, with completion times', () => {
    const s = deriveRolloutState([
      ev('rollout_started', 0, { plan }),
      ev('wave_started', 1, { wave: 'wave-1' }),
      ev('wave_completed', 4, { wave: 'wave-1' }),
      ev('wave_started', 5, { wave: 'wave-2' }),
      ev('rollout_completed', 9),
    ]);
    assert.equal(s.status, 'completed');
    assert.equal(s.endedAtMs, T0 + 9 * 60_000);
    assert.equal(s.waves[0]?.completedAtMs, T0 + 4 * 60_000);
    // a wave still running when the rollout completes is completed with it
    assert.equal(s.waves[1]?.status, 'completed');
    assert.equal(s.waves[1]?.completedAtMs, T0 + 9 * 60_000);
    assert.equal(s.updatedAtMs, T0 + 9 * 60_000);
  });

  it('aborts running waves on abort and leaves planned ones planned', () => {
    const s = deriveRolloutState([ev('rollout_started', 0, { plan }), ev('wave_started', 1, { wave: 'wave-1' }), ev('rollout_aborted', 3)]);
    assert.equal(s.status, 'aborted');
    assert.deepEqual(s.waves.map((w) => w.status), ['aborted', 'planned']);
    assert.equal(s.endedAtMs, T0 + 3 * 60_000);
  });

  it('records a rollback as rolled_back', () => {
    const s = deriveRolloutState([ev('wave_started', 1, { wave: 'wave-1', clusters: ['a'] }), ev('rollout_rolled_back', 2)]);
    assert.equal(s.status, 'rolled_back');
    assert.equal(s.waves[0]?.status, 'aborted');
  });

  it('gives the same state whatever order the events arrive in', () => {
    const events = [
      ev('rollout_started', 0, { plan }),
      ev('wave_started', 1, { wave: 'wave-1' }),
      ev('wave_completed', 4, { wave: 'wave-1' }),
      ev('wave_started', 5, { wave: 'wave-2' }),
    ];
    const expected = deriveRolloutState(events);
    // arrival order reversed: seq now runs backwards, event time still decides
    const reversed = [...events].reverse().map((e, i) => ({ ...e, seq: 100 + i }));
    assert.deepEqual(deriveRolloutState(reversed), expected);
    assert.equal(expected.waves[0]?.status, 'completed');
    assert.equal(expected.waves[1]?.status, 'in_progress');
  });

  it('orders unplanned waves after the plan, by start time, and unions their clusters', () => {
    const s = deriveRolloutState([
      ev('rollout_started', 0, { plan: [{ wave: 'wave-1', clusters: ['a'] }] }),
      ev('wave_started', 7, { wave: 'hotfix', clusters: ['z'] }),
      ev('wave_started', 6, { wave: 'extra', clusters: ['x'] }),
      ev('wave_started', 8, { wave: 'extra', clusters: ['y', 'x'] }),
    ]);
    assert.deepEqual(s.waves.map((w) => w.wave), ['wave-1', 'extra', 'hotfix']);
    assert.deepEqual(s.waves[1]?.clusters, ['x', 'y']);
    assert.equal(s.waves[1]?.startedAtMs, T0 + 6 * 60_000);
  });

  it('reopens a rollout that starts a wave after it ended', () => {
    const s = deriveRolloutState([ev('wave_started', 1, { wave: 'w1', clusters: ['a'] }), ev('rollout_aborted', 2), ev('wave_started', 3, { wave: 'w2', clusters: ['b'] })]);
    assert.equal(s.status, 'in_progress');
    assert.equal(s.endedAtMs, null);
  });

  it('breaks ties in event time by arrival order', () => {
    const s = deriveRolloutState([ev('rollout_aborted', 1, { seq: 2 }), ev('wave_started', 1, { wave: 'w', clusters: ['a'], seq: 1 })]);
    assert.equal(s.status, 'aborted');
  });

  it('refuses an empty event list and groups mixed rollouts', () => {
    assert.throws(() => deriveRolloutState([]), RangeError);
    const states = deriveRollouts([ev('wave_started', 1, { wave: 'w', clusters: ['a'] }), ev('wave_started', 1, { rolloutId: 'other', wave: 'w', clusters: ['b'] })]);
    assert.deepEqual(states.map((s) => s.rolloutId).sort(), ['other', 'telemetry-agent']);
  });

  it('completes a wave reported per cluster only when all its clusters have completed', () => {
    const s = deriveRolloutState([
      ev('rollout_started', 0, { plan }),
      ev('cluster_started', 1, { wave: 'wave-1', clusters: ['small-a'] }),
      ev('cluster_completed', 2, { wave: 'wave-1', clusters: ['small-a'] }),
    ]);
    assert.equal(s.waves[0]?.status, 'in_progress');
    assert.deepEqual(s.waves[0]?.clusterStatus, { 'small-a': 'completed', 'small-b': 'pending' });
    const done = deriveRolloutState([
      ev('rollout_started', 0, { plan }),
      ev('cluster_started', 1, { wave: 'wave-1', clusters: ['small-a'] }),
      ev('cluster_completed', 2, { wave: 'wave-1', clusters: ['small-a'] }),
      ev('cluster_started', 3, { wave: 'wave-1', clusters: ['small-b'] }),
      ev('cluster_completed', 5, { wave: 'wave-1', clusters: ['small-b'] }),
    ]);
    assert.equal(done.waves[0]?.status, 'completed');
    assert.equal(done.waves[0]?.startedAtMs, T0 + 60_000);
    assert.equal(done.waves[0]?.completedAtMs, T0 + 5 * 60_000);
    assert.equal(done.waves[1]?.status, 'planned');
  });

  it('keeps a wave with a failed cluster open and shows the failure; an explicit wave_completed still closes it', () => {
    const failed = deriveRolloutState([
      ev('wave_started', 1, { wave: 'w', clusters: ['a', 'b'] }),
      ev('cluster_completed', 2, { wave: 'w', clusters: ['a'] }),
      ev('cluster_failed', 3, { wave: 'w', clusters: ['b'] }),
    ]);
    assert.equal(failed.status, 'in_progress');
    assert.equal(failed.waves[0]?.status, 'in_progress');
    assert.deepEqual(failed.waves[0]?.clusterStatus, { a: 'completed', b: 'failed' });
    const closed = deriveRolloutState([
      ev('wave_started', 1, { wave: 'w', clusters: ['a', 'b'] }),
      ev('cluster_failed', 3, { wave: 'w', clusters: ['b'] }),
      ev('wave_completed', 4, { wave: 'w' }),
    ]);
    assert.equal(closed.waves[0]?.status, 'completed');
    assert.deepEqual(closed.waves[0]?.clusterStatus, { a: 'completed', b: 'failed' });
  });

  it('reopens a completed wave when one of its clusters fails or restarts later', () => {
    const s = deriveRolloutState([
      ev('cluster_started', 1, { wave: 'w', clusters: ['a'] }),
      ev('cluster_completed', 2, { wave: 'w', clusters: ['a'] }),
      ev('cluster_failed', 3, { wave: 'w', clusters: ['a'] }),
    ]);
    assert.equal(s.waves[0]?.status, 'in_progress');
    assert.equal(s.waves[0]?.completedAtMs, null);
  });

  it('folds 20 000 per-cluster events of one wave, in any arrival order, to the same state', () => {
    const clusters = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    const events = [
      ev('rollout_started', 0, { plan: [{ wave: 'big', clusters }] }),
      ...clusters.flatMap((c, i) => [ev('cluster_started', 1 + i / 10_000, { wave: 'big', clusters: [c] }), ev('cluster_completed', 2 + i / 10_000, { wave: 'big', clusters: [c] })]),
    ];
    const s = deriveRolloutState(events);
    assert.equal(s.waves[0]?.status, 'completed');
    assert.equal(s.waves[0]?.completedAtMs, T0 + (2 + 9_999 / 10_000) * 60_000);
    assert.deepEqual(deriveRolloutState([...events].reverse()), s);
  });

  it('keeps a cluster named like an Object.prototype key as a plain cluster', () => {
    const s = deriveRolloutState([ev('cluster_started', 1, { wave: 'w', clusters: ['__proto__', 'constructor'] }), ev('cluster_completed', 2, { wave: 'w', clusters: ['__proto__'] })]);
    const status = s.waves[0]?.clusterStatus ?? {};
    assert.deepEqual(Object.keys(status), ['__proto__', 'constructor']);
    assert.equal(Object.getOwnPropertyDescriptor(status, '__proto__')?.value, 'completed');
    assert.equal(Object.getPrototypeOf(status), Object.prototype);
    assert.equal(s.waves[0]?.status, 'in_progress');
  });
});
