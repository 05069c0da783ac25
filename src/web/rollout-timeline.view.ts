import type { AlertView } from '../alerts/alert.types.js';
import type { GateReason, NextWavePrediction, Verdict } from '../analysis/analysis.types.js';
import type { RolloutHealthView } from '../gate/rollout-health.view.js';
import type { RolloutView } from '../rollouts/rollout-view.js';

// GET /api/v1/rollouts/{id}/timeline: everything the rollout page draws, in one answer.
// Chart times are Unix seconds (uPlot's unit); values are null where nothing was measured.

export interface ClusterSeriesView {
  cluster: string;
  wave: string;
  nodes: number | null;
  /** highest busy seats ÷ capacity in the range */
  peakUtilization: number | null;
  t: number[];
  busySeats: (number | null)[];
  capacitySeats: (number | null)[];
  rejectedRate: (number | null)[];
  visibleErrorRatio: (number | null)[];
  missFailureRatio: (number | null)[];
  projectedErrorRatio: (number | null)[];
  /** newest projection: seconds until visible SERVFAIL crosses the threshold */
  timeToImpactSeconds: number | null;
}

export interface VerdictChangeView {
  at: string;
  verdict: Verdict;
  nextWave: string | null;
  reasons: readonly GateReason[];
}

export interface PredictionView {
  wave: string;
  verdict: Verdict;
  headroom: number;
  predictions: readonly NextWavePrediction[];
  /** highest predicted utilisation of the next wave's clusters, per evaluated step */
  t: number[];
  maxPredicted: number[];
}

export interface RolloutTimelineView {
  rollout: RolloutView;
  /** the gate's answer now */
  health: RolloutHealthView;
  links: { rolloutPage: string; health: string; gate: string; grafana: string | null };
  verdicts: VerdictChangeView[];
  /** answers the gate served (GET …/health and …/gate), equal answers in a row folded */
  gateAnswers: { from: string; to: string; verdict: Verdict; count: number }[];
  /** alerts of the rollout, and open alerts on its clusters */
  alerts: AlertView[];
  clusters: ClusterSeriesView[];
  /** wave clusters beyond web.maxChartClusters: listed, not drawn */
  omittedClusters: string[];
  prediction: PredictionView | null;
  range: { from: string; to: string };
  stepSeconds: number;
  dnsVisibleThreshold: number;
  pollSeconds: number;
}
