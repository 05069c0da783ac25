import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertFingerprint } from './alert-fingerprint.js';
import { stepLifecycle, type AlertCondition, type AlertRecord, type LifecycleOptions } from './alert-lifecycle.js';

const STEP = 15_000;
const T0 = Date.parse('2024-12-11T22:51:00Z');

function condition(cluster: string, onsetMs: number, figures: Record<string, number> = {}): AlertCondition {
  return {
    fingerprint: alertFingerprint('RolloutControlPlaneOverload', 'r1', cluster),
    name: 'RolloutControlPlaneOverload',
    severity: 'critical',
    rolloutId: 'r1',
    wave: 'wave-3',
    clusters: [cluster],
    onsetMs,
    timeToImpactSeconds: null,
    labels: { cluster },
    annotations: { summary: 's', description: 'd', runbook_url: '' },
    figures,
  };
}

// Runs evaluations at consecutive steps; `present(i)` says which conditions hold at step i.
function run(steps: number, present: (i: number) => AlertCondition[], options: LifecycleOptions) {
  let open: AlertRecord[] = [];
  const transitions: { i: number; transition: string; fingerprint: string; startsAtMs: number; endsAtMs: number | null }[] = [];
  let n = 0;
  for (let i = 0; i < steps; i++) {
    const out = stepLifecycle(open, present(i), T0 + i * STEP, options, () => `id-${++n}`);
    for (const t of out.transitions) {
      transitions.push({ i, transition: t.transition, fingerprint: t.record.fingerprint, startsAtMs: t.record.startsAtMs, endsAtMs: t.record.endsAtMs });
    }
    const byFp = new Map(open.map((r) => [r.fingerprint, r]));
    for (const r of out.changed) byFp.set(r.fingerprint, r);
    open = [...byFp.values()].filter((r) => r.state !== 'resolved');
  }
  return { transitions, open };
}

describe('alert lifecycle', () => {
  const options: LifecycleOptions = { pendingSteps: 0, resolveAfterSteps: 4 };

  it('fires at once with startsAt at the onset in event time, and resolves after the condition clears for N steps', () => {
    const onset = T0 + 2 * STEP - 5_000;
    const { transitions } = run(20, (i) => (i >= 2 && i < 8 ? [condition('prod-a', onset)] : []), options);
    assert.deepEqual(
      transitions.map((t) => [t.i, t.transition]),
      [
        [2, 'firing'],
        [11, 'resolved'],
      ],
    );
    assert.equal(transitions[0]?.startsAtMs, onset);
    // endsAt is the last evaluation at which the condition still held
    assert.equal(transitions[1]?.endsAtMs, T0 + 7 * STEP);
  });

  it('does not flap when the condition blinks for fewer steps than resolveAfterSteps', () => {
    const blinking = (i: number) => (i % 3 === 2 ? [] : [condition('prod-a', T0)]);
    const { transitions } = run(30, blinking, options);
    assert.equal(transitions.length, 1);
    assert.equal(transitions[0]?.transition, 'firing');
  });

  it('keeps one alert per fingerprint and a separate one per cluster', () => {
    const { transitions, open } = run(5, () => [condition('prod-a', T0), condition('prod-a', T0), condition('prod-b', T0)], options);
    assert.equal(transitions.length, 2);
    assert.equal(open.length, 2);
    assert.notEqual(open[0]?.fingerprint, open[1]?.fingerprint);
  });

  it('holds an alert pending for pendingSteps and never notifies one that clears while pending', () => {
    const pending: LifecycleOptions = { pendingSteps: 2, resolveAfterSteps: 2 };
    const short = run(10, (i) => (i === 1 || i === 2 ? [condition('prod-a', T0)] : []), pending);
    assert.equal(short.transitions.length, 0);
    const long = run(10, (i) => (i >= 1 && i <= 5 ? [condition('prod-a', T0)] : []), pending);
    assert.deepEqual(long.transitions.map((t) => [t.i, t.transition]), [
      [3, 'firing'],
      [7, 'resolved'],
    ]);
  });

  it('holds alerts restored after a restart open while the windows warm up', () => {
    const fired = stepLifecycle([], [condition('prod-a', T0)], T0, options, () => 'id-1');
    let open = fired.changed;
    const holdOpen = new Set([open[0]!.fingerprint]);
    for (let i = 1; i <= 10; i++) {
      const out = stepLifecycle(open, [], T0 + i * STEP, { ...options, holdOpen }, () => 'x');
      assert.equal(out.transitions.length, 0);
      assert.equal(out.changed.length, 0);
    }
    // once warm, the usual rule applies
    for (let i = 11; i <= 14; i++) {
      const out = stepLifecycle(open, [], T0 + i * STEP, options, () => 'x');
      open = out.changed.filter((r) => r.state !== 'resolved');
      if (i === 14) assert.deepEqual(out.transitions.map((t) => t.transition), ['resolved']);
      else assert.equal(out.transitions.length, 0);
    }
  });

  it('starts a new alert with a new id after a resolved one fires again', () => {
    let ids = 0;
    const first = stepLifecycle([], [condition('prod-a', T0)], T0, options, () => `id-${++ids}`);
    const record = first.changed[0]!;
    const resolved = { ...record, state: 'resolved' as const };
    const again = stepLifecycle([], [condition('prod-a', T0 + 60 * STEP)], T0 + 60 * STEP, options, () => `id-${++ids}`);
    assert.notEqual(again.changed[0]?.id, resolved.id);
    assert.equal(again.changed[0]?.fingerprint, resolved.fingerprint);
  });

  it('stays firing for minFiringMs before it resolves, and a condition back inside that window keeps the same alert', () => {
    const steady: LifecycleOptions = { pendingSteps: 0, resolveAfterSteps: 4, minFiringMs: 20 * STEP };
    // present at 0-1, gone 2-9 (past resolveAfterSteps but inside minFiring), back at 10-11, then gone
    const blips = run(40, (i) => (i <= 1 || i === 10 || i === 11 ? [condition('prod-a', T0)] : []), steady);
    assert.deepEqual(
      blips.transitions.map((t) => [t.i, t.transition]),
      [
        [0, 'firing'],
        [20, 'resolved'],
      ],
    );
    // without the minimum the same input pages twice
    const noisy = run(40, (i) => (i <= 1 || i === 10 || i === 11 ? [condition('prod-a', T0)] : []), options);
    assert.equal(noisy.transitions.filter((t) => t.transition === 'firing').length, 2);
  });

  it('fingerprints are stable and depend on name, rollout and scope', () => {
    assert.equal(alertFingerprint('A', 'r', 'c'), alertFingerprint('A', 'r', 'c'));
    assert.notEqual(alertFingerprint('A', 'r', 'c'), alertFingerprint('A', null, 'c'));
    assert.notEqual(alertFingerprint('A', 'r', 'c'), alertFingerprint('B', 'r', 'c'));
    assert.match(alertFingerprint('A', null, null), /^[0-9a-f]{16}$/);
  });
});
