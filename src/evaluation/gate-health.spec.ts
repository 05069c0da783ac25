import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RolloutHealth } from '../analysis/analysis.types.js';
import { withoutLeader } from './gate-health.js';

const WALL = Date.parse('2026-12-01T12:00:00Z');
const proceed: RolloutHealth = { rolloutId: 'r1', verdict: 'proceed', evaluatedAt: WALL - 20_000, reasons: [], nextWave: null, dns: [] };
const lostAfterMs = 90_000;

describe('a follower without a leader', () => {
  it('answers from the leader while it publishes', () => {
    assert.equal(withoutLeader(proceed, { wallMs: WALL, publishedAtMs: WALL - 15_000, live: true, lostAfterMs }), proceed);
  });

  it('holds with no_data once no leader has published for the loss threshold (live)', () => {
    const h = withoutLeader(proceed, { wallMs: WALL, publishedAtMs: WALL - 91_000, live: true, lostAfterMs });
    assert.equal(h.verdict, 'hold');
    assert.equal(h.reasons[0]?.code, 'no_data');
    assert.match(h.reasons[0]?.message ?? '', /no leader has published an evaluation for 91 s/);
  });

  it('holds before any leader published; a replay that ended keeps its verdict', () => {
    assert.equal(withoutLeader(proceed, { wallMs: WALL, publishedAtMs: null, live: true, lostAfterMs }).verdict, 'hold');
    assert.equal(withoutLeader(proceed, { wallMs: WALL, publishedAtMs: WALL - 3_600_000, live: false, lostAfterMs }), proceed);
  });

  it('never lowers a rollback', () => {
    assert.equal(withoutLeader({ ...proceed, verdict: 'rollback' }, { wallMs: WALL, publishedAtMs: null, live: true, lostAfterMs }).verdict, 'rollback');
  });
});
