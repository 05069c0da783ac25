import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvaluationClock } from './evaluation-clock.js';

const STEP = 15_000;
const WALL = Date.parse('2026-12-01T12:00:00Z');

describe('evaluation clock', () => {
  it('replays history at the watermark and never looks at the wall clock for progress', () => {
    const clock = new EvaluationClock(STEP, 90_000);
    const history = Date.parse('2024-12-11T23:00:07Z');
    clock.received(history, WALL);
    assert.equal(clock.mode(), 'replay');
    assert.equal(clock.targetStep(history, WALL + 3_600_000), Date.parse('2024-12-11T22:59:45Z'), 'the step before the watermark: its scrape is complete');
    assert.equal(clock.targetStep(history, WALL + 3_600_000, true), Date.parse('2024-12-11T23:00:00Z'), 'catch-up: through the watermark');
  });

  it('live: never evaluates a step starting after the wall clock plus 5 s', () => {
    const clock = new EvaluationClock(STEP, 90_000);
    clock.received(WALL + 120_000, WALL);
    assert.equal(clock.mode(), 'live');
    assert.equal(clock.targetStep(WALL + 120_000, WALL), WALL);
    assert.equal(clock.targetStep(WALL + 120_000, WALL + 9_000), WALL);
    assert.equal(clock.targetStep(WALL + 120_000, WALL + 30_000), WALL + 30_000);
  });

  it('live: a stalled feed stays live and steps go on by the wall clock once nothing arrived for the allowance', () => {
    const clock = new EvaluationClock(STEP, 90_000);
    clock.received(WALL - 2_000, WALL);
    assert.equal(clock.targetStep(WALL - 2_000, WALL + 60_000), WALL - STEP, 'quiet for 60 s: still the watermark step');
    assert.equal(clock.targetStep(WALL - 2_000, WALL + 300_000), WALL + 210_000, 'quiet for 300 s: wall − 90 s');
    assert.equal(clock.mode(), 'live');
  });

  it('after a restart, takes the mode the stored history was written in until data arrives', () => {
    const live = new EvaluationClock(STEP, 90_000);
    live.restore('live', WALL);
    assert.equal(live.targetStep(WALL - 30_000, WALL + 600_000), WALL + 510_000);
    const replay = new EvaluationClock(STEP, 90_000);
    replay.restore('replay', WALL);
    assert.equal(replay.targetStep(WALL - 30_000, WALL + 600_000, true), WALL - 30_000);
    replay.received(WALL + 600_000, WALL + 600_000);
    assert.equal(replay.mode(), 'live', 'data decides once it arrives');
  });
});
