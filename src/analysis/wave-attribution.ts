// Difference-in-differences per wave: a wave cluster's level now against its own pre-wave
// baseline, scaled by how much the unreached clusters (controls) moved over the same time,
// so fleet-wide shifts (diurnal ramps, traffic ramps) cancel. Robust statistics throughout.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import { median, robustSigma } from './robust-stats.js';
import type { SignalView } from './signal-view.js';

export interface LoadSignal {
  readonly signal: string;
  /** smallest effect that counts, in the signal's unit */
  readonly floor: number;
}

export const LOAD_SIGNALS: readonly LoadSignal[] = [
  { signal: SIGNALS.apiBusySeats, floor: 1 },
  { signal: SIGNALS.apiRequestRate, floor: 1 },
  { signal: SIGNALS.apiReadRate, floor: 1 },
  { signal: SIGNALS.apiWatchRate, floor: 0.5 },
  { signal: SIGNALS.apiMutatingRate, floor: 1 },
  { signal: SIGNALS.apiRejectedRate, floor: 0.5 },
  { signal: SIGNALS.apiErrorRatio, floor: 0.01 },
  { signal: SIGNALS.apiLatencyP99, floor: 0.05 },
  { signal: SIGNALS.apiInflight, floor: 2 },
];

export interface ControlShift {
  /** median over controls of level now ÷ level before the wave */
  readonly ratio: number;
  /** robust spread of that ratio over controls */
  readonly sigma: number;
  readonly controls: number;
}

export interface LoadEffect {
  readonly cluster: string;
  readonly signal: string;
  readonly baseline: number;
  readonly observed: number;
  /** baseline moved like the controls moved */
  readonly expected: number;
  readonly effect: number;
  readonly threshold: number;
  readonly significant: boolean;
}

export interface WaveWindow {
  readonly startMs: number;
  readonly baselineFromMs: number;
  readonly baselineToMs: number;
}

export function waveWindow(view: SignalView, startedAtMs: number, config: AnalysisConfig): WaveWindow {
  const startMs = view.alignedMs(startedAtMs);
  const baselineToMs = startMs - view.stepMs;
  const baselineFromMs = baselineToMs - Math.floor((config.baselineSeconds * 1000) / view.stepMs) * view.stepMs;
  return { startMs, baselineFromMs, baselineToMs };
}

/** controls: every n-th unreached cluster in name order, at most maxControls */
export function sampleControls(names: readonly string[], reached: ReadonlySet<string>, max: number): string[] {
  const unreached = names.filter((n) => !reached.has(n));
  const stride = Math.max(1, Math.ceil(unreached.length / max));
  return unreached.filter((_, i) => i % stride === 0);
}

const NO_SHIFT: ControlShift = { ratio: 1, sigma: 0, controls: 0 };

export function controlShift(
  view: SignalView,
  controls: readonly string[],
  signal: string,
  window: WaveWindow,
  config: AnalysisConfig,
): ControlShift {
  const ratios: number[] = [];
  for (const c of controls) {
    const base = view.baseline(c, signal, window.baselineFromMs, window.baselineToMs).median;
    const now = view.level(c, signal, config.levelPoints);
    if (Number.isFinite(now) && Number.isFinite(base) && base > 0) ratios.push(now / base);
  }
  if (ratios.length < 3) return NO_SHIFT;
  return { ratio: median(ratios), sigma: robustSigma(ratios), controls: ratios.length };
}

export function loadEffect(
  view: SignalView,
  cluster: string,
  load: LoadSignal,
  window: WaveWindow,
  shift: ControlShift,
  config: AnalysisConfig,
  levelPoints = config.levelPoints,
  /** the level at this time instead of now (the evidence of an overload whose cluster went dark) */
  atMs?: number,
): LoadEffect | undefined {
  const base = view.baseline(cluster, load.signal, window.baselineFromMs, window.baselineToMs);
  const observed = atMs === undefined ? view.level(cluster, load.signal, levelPoints) : view.levelAt(cluster, load.signal, levelPoints, atMs);
  if (!Number.isFinite(base.median) || !Number.isFinite(observed)) return undefined;
  const expected = base.median * shift.ratio;
  const noise = Math.hypot(base.sigma, base.median * shift.sigma);
  const threshold = Math.max(config.effectZ * noise, config.minRelativeEffect * Math.abs(base.median), load.floor);
  const effect = observed - expected;
  return { cluster, signal: load.signal, baseline: base.median, observed, expected, effect, threshold, significant: effect > threshold };
}
