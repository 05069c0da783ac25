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
