// Harm is judged from absolute figures only — utilisation of the seat capacity, APF
// rejections, 429/5xx ratio — never from a change relative to a baseline. Latency p99 is
// not harm on its own: a new slow LIST pattern raises it far from saturation; queueing
// under real overload shows as busy seats at capacity and as rejections.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import { hysteresisState, type HysteresisRule } from './condition-run.js';
import { RECENT_STEPS, type SignalView } from './signal-view.js';

export interface HarmState {
  readonly cluster: string;
  readonly signal: string;
  readonly observed: number;
  readonly threshold: number;
  readonly onsetMs: number;
  readonly busySeats: number;
  readonly capacitySeats: number;
  readonly utilization: number;
}

export const STRONG_SCORE = 1.1;

interface HarmSignal {
  readonly signal: string;
  readonly threshold: (config: AnalysisConfig) => number;
}

const HARM_SIGNALS: readonly HarmSignal[] = [
  { signal: SIGNALS.apiRejectedRate, threshold: (c) => c.rejectedRateThreshold },
  { signal: SIGNALS.apiErrorRatio, threshold: (c) => c.apiErrorRatioThreshold },
];

/** per point: the largest value ÷ threshold over the harm signals, and which signal it was */
function harmScores(
  read: (signal: string) => Float64Array,
  capacity: number,
  config: AnalysisConfig,
): { scores: Float64Array; worst: Int8Array } {
  const busy = read(SIGNALS.apiBusySeats);
  const others = HARM_SIGNALS.map((h) => ({ values: read(h.signal), threshold: h.threshold(config) }));
  const scores = new Float64Array(busy.length).fill(Number.NaN);
  const worst = new Int8Array(busy.length).fill(-1);
  for (let i = 0; i < busy.length; i++) {
    const b = busy[i]!;
    if (Number.isFinite(b)) scores[i] = b / capacity / config.overloadUtilization;
    others.forEach((o, k) => {
      const v = o.values[i]!;
      if (!Number.isFinite(v)) return;
      const s = v / o.threshold;
      if (Number.isNaN(scores[i]!) || s > scores[i]!) {
        scores[i] = s;
        worst[i] = k;
      }
    });
  }
  return { scores, worst };
}

export function capacityOf(view: SignalView, cluster: string, config: AnalysisConfig): number {
  const measured = view.latest(cluster, SIGNALS.apiCapacitySeats);
  if (Number.isFinite(measured) && measured > 0) return measured;
  return config.clusters[cluster]?.capacitySeats ?? view.info(cluster)?.capacitySeats ?? config.defaultCapacitySeats;
}

export function nodesOf(view: SignalView, cluster: string, config: AnalysisConfig): number | null {
  const measured = view.latest(cluster, SIGNALS.nodes);
  if (Number.isFinite(measured) && measured > 0) return measured;
  return view.info(cluster)?.nodes ?? config.clusters[cluster]?.nodes ?? null;
}

/** the cluster's overload, when one is active now (with hysteresis); undefined otherwise */
export function assessHarm(view: SignalView, cluster: string, config: AnalysisConfig): HarmState | undefined {
  const capacity = capacityOf(view, cluster, config);
  const recent = harmScores((s) => view.recent(cluster, s), capacity, config);
  const recentFirst = view.nowPointMs - (RECENT_STEPS - 1) * view.stepMs;
  const state = hysteresisState(recent.scores, recentFirst, view.stepMs, harmRule(config), () => {
    const from = view.nowPointMs - Math.floor((config.onsetLookbackSeconds * 1000) / view.stepMs) * view.stepMs;
    return { scores: harmScores((s) => view.range(cluster, s, from, view.nowPointMs), capacity, config).scores, firstMs: from };
  });
  if (!state.active) return undefined;
  let last = recent.scores.length - 1;
  while (last > 0 && Number.isNaN(recent.scores[last]!)) last--;
  const worstIndex = recent.worst[last]!;
  const busy = view.latest(cluster, SIGNALS.apiBusySeats);
  const worst = worstIndex >= 0 ? HARM_SIGNALS[worstIndex] : undefined;
  return {
    cluster,
    signal: worst ? worst.signal : SIGNALS.apiBusySeats,
    observed: worst ? view.latest(cluster, worst.signal) : busy,
    threshold: worst ? worst.threshold(config) : config.overloadUtilization * capacity,
    onsetMs: state.onsetMs,
    busySeats: busy,
    capacitySeats: capacity,
    utilization: busy / capacity,
  };
}

export function harmRule(config: AnalysisConfig, strongScore = STRONG_SCORE): HysteresisRule {
  return {
    confirmPoints: config.confirmPoints,
    strongScore,
    clearScore: config.clearRatio,
    clearPoints: config.clearPoints,
    recoveryPoints: config.recoveryPoints,
  };
}
