import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STEP_MS, T0, testStore } from './testing/signal-fixtures.js';

// restoreFinalPoints: points computed outside the store (pull mode) become final signal points.
describe('signal store: restored final points', () => {
  it('serves restored points, makes their steps final and moves the watermark to the newest step end', () => {
    const store = testStore();
    store.restoreFinalPoints('a', [
      { signal: 'api_request_rate', tMs: T0, value: 10 },
      { signal: 'api_request_rate', tMs: T0 + 2 * STEP_MS, value: 12 },
      { signal: 'nodes', tMs: T0 + 2 * STEP_MS, value: 300 },
      { signal: 'no_such_signal', tMs: T0 + 9 * STEP_MS, value: 1 },
      { signal: 'api_inflight', tMs: T0 + 9 * STEP_MS, value: Number.NaN },
    ]);
    assert.deepEqual([...store.values('a', 'api_request_rate', T0, T0 + 3 * STEP_MS)], [10, Number.NaN, 12, Number.NaN]);
    const info = store.cluster('a')!;
    assert.equal(info.completeBeforeMs, T0 + 3 * STEP_MS);
    assert.equal(info.lastSampleMs, T0 + 3 * STEP_MS);
    assert.equal(info.nodes, 300);
    assert.equal(store.watermarkMs(), T0 + 3 * STEP_MS);
  });

  it('clears steps skipped on the way and drops points older than the window', () => {
    const store = testStore({ windowMs: 10 * STEP_MS });
    store.restoreFinalPoints('a', [{ signal: 'api_request_rate', tMs: T0, value: 1 }]);
    // 10 steps later the first slot of the ring is reused: it must not read as the old value
    store.restoreFinalPoints('a', [
      { signal: 'api_request_rate', tMs: T0 + 12 * STEP_MS, value: 3 },
      { signal: 'api_request_rate', tMs: T0 - STEP_MS, value: 99 },
    ]);
    assert.ok(Number.isNaN(store.values('a', 'api_request_rate', T0 + 10 * STEP_MS, T0 + 10 * STEP_MS)[0]!));
    assert.ok(Number.isNaN(store.values('a', 'api_request_rate', T0 - STEP_MS, T0 - STEP_MS)[0]!));
    assert.equal(store.values('a', 'api_request_rate', T0 + 12 * STEP_MS, T0 + 12 * STEP_MS)[0], 3);
  });
});
