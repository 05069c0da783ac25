// A condition as a score series (≥ 1 means met, NaN unknown). "Active" needs the newest
// `confirmPoints` known points met, or the newest one far past its threshold: at most two
// scrape intervals of evidence. The onset is the first point of the trailing run.

export interface RunCheck {
  readonly active: boolean;
  readonly score: number;
}

export function checkRun(scores: ArrayLike<number>, confirmPoints: number, strongScore: number): RunCheck {
  let seen = 0;
  let newest = Number.NaN;
  for (let i = scores.length - 1; i >= 0 && seen < confirmPoints; i--) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    if (seen === 0) newest = s;
    if (s < 1) return { active: false, score: newest };
    seen++;
    if (seen === 1 && s >= strongScore) return { active: true, score: s };
  }
  return { active: seen >= confirmPoints, score: newest };
}

/**
 * Time of the first point of the trailing run of met points (unknown points do not break
 * it), or undefined when the run reaches back to the first point (look further back).
 */
export function runOnset(scores: ArrayLike<number>, firstMs: number, stepMs: number): number | undefined {
  let onset: number | undefined;
  for (let i = scores.length - 1; i >= 0; i--) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    if (s < 1) return onset;
    onset = firstMs + i * stepMs;
  }
  return undefined;
}

/** onset searched in the recent window first, then over the whole lookback */
export function findOnset(
  recentScores: ArrayLike<number>,
  recentFirstMs: number,
  stepMs: number,
  lookback: () => { scores: ArrayLike<number>; firstMs: number },
): number {
  const near = runOnset(recentScores, recentFirstMs, stepMs);
  if (near !== undefined) return near;
  const far = lookback();
  return runOnset(far.scores, far.firstMs, stepMs) ?? far.firstMs;
}

/**
 * Hysteresis (no flapping around a threshold): a condition opens as checkRun says (≥ 1 for
 * `confirmPoints` known points, or one point ≥ `strongScore`) and stays open until it clears —
 * `clearPoints` known points in a row under `clearScore` (< 1), or `recoveryPoints` in a row
 * under 1 (sustained recovery). Unknown points neither open nor clear it, but an open condition
 * with no known point for `recoveryPoints` is no longer reported. Stateless: the state
 * is replayed from the newest point before which it was certainly closed, so the same signals
 * give the same answer however often and in whatever order steps are evaluated.
 */
export interface HysteresisRule {
  readonly confirmPoints: number;
  readonly strongScore: number;
  readonly clearScore: number;
  readonly clearPoints: number;
  readonly recoveryPoints: number;
}

export interface HysteresisState {
  readonly active: boolean;
  /** first point of the run that opened the current episode */
  readonly onsetMs: number;
}

const CLOSED: HysteresisState = { active: false, onsetMs: Number.NaN };

/** index after the newest run of `clearPoints` known points under clearScore, or -1 */
function closedAnchor(scores: ArrayLike<number>, rule: HysteresisRule): number {
  let below = 0;
  for (let i = scores.length - 1; i >= 0; i--) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    if (s >= rule.clearScore) below = 0;
    else if (++below >= rule.clearPoints) {
      // the state is closed right after this run: find where the run ends
      let end = i;
      for (let seen = 0; end < scores.length; end++) if (!Number.isNaN(scores[end]!) && ++seen === rule.clearPoints) break;
      return end + 1;
    }
  }
  return -1;
}

function replayFrom(scores: ArrayLike<number>, from: number, firstMs: number, stepMs: number, rule: HysteresisRule): HysteresisState {
  let open = false;
  let onset = -1;
  let runStart = -1;
  let met = 0;
  let belowClear = 0;
  let belowOne = 0;
  let lastKnown = -1;
  for (let i = from; i < scores.length; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    lastKnown = i;
    if (!open) {
      if (s < 1) {
        met = 0;
        continue;
      }
      if (met === 0) runStart = i;
      met++;
      if (met >= rule.confirmPoints || s >= rule.strongScore) {
        open = true;
        onset = runStart;
        belowClear = 0;
        belowOne = 0;
      }
      continue;
    }
    belowOne = s < 1 ? belowOne + 1 : 0;
    belowClear = s < rule.clearScore ? belowClear + 1 : 0;
    if (belowClear >= rule.clearPoints || belowOne >= rule.recoveryPoints) {
      open = false;
      met = 0;
    }
  }
  // unknown for as long as a sustained recovery takes: no evidence either way, the condition
  // is not "now" any more (telemetry loss and the alert lifecycle take over)
  if (open && scores.length - 1 - lastKnown >= rule.recoveryPoints) return CLOSED;
  return open ? { active: true, onsetMs: firstMs + onset * stepMs } : CLOSED;
}

/**
 * The hysteresis state at the newest point: from the recent window when it shows where the
 * state was last closed, else from the longer lookback (closed at its start).
 */
export function hysteresisState(
  recentScores: ArrayLike<number>,
  recentFirstMs: number,
  stepMs: number,
  rule: HysteresisRule,
  lookback: () => { scores: ArrayLike<number>; firstMs: number },
): HysteresisState {
  const near = closedAnchor(recentScores, rule);
  if (near >= 0) return replayFrom(recentScores, near, recentFirstMs, stepMs, rule);
  const far = lookback();
  return replayFrom(far.scores, Math.max(0, closedAnchor(far.scores, rule)), far.firstMs, stepMs, rule);
}
