// When an overloaded control plane is projected to stop serving — after that the rollback
// itself may not get through the API server (the 2024-12-11 recovery took hours for that).
// Model (the simulator's, see scenarios/README.md "Model"): a control plane collapses after
// `collapseAfterSeconds` of continuous saturation (seats full and APF rejecting). Before
// saturation, the time to it is projected from the busy-seat trend; once saturated, a rising
// 429 share that would reach `collapseErrorRatio` earlier moves the deadline forward.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import type { HarmState } from './control-plane-harm.js';
import type { SignalView } from './signal-view.js';

/** newest points the trends are fitted on */
const TREND_POINTS = 4;

/** least-squares slope per ms of the finite points among values (index i at firstMs + i·step) */
function slopePerMs(values: Float64Array, firstMs: number, stepMs: number): number {
  let n = 0;
  let st = 0;
  let sv = 0;
  let stt = 0;
  let stv = 0;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const t = firstMs + i * stepMs;
    n++;
    st += t;
    sv += v;
    stt += t * t;
    stv += t * v;
  });
  const d = n * stt - st * st;
  return n >= 2 && d > 0 ? (n * stv - st * sv) / d : Number.NaN;
}

/**
 * Projected time (event ms) the cluster's API server stops serving, or null when the overload
 * neither saturates the seats nor grows toward it.
 */
export function rollbackDeadlineMs(view: SignalView, harm: HarmState, config: AnalysisConfig): number | null {
  const cluster = harm.cluster;
  const from = view.alignedMs(Math.min(harm.onsetMs, view.nowPointMs));
  const busy = view.range(cluster, SIGNALS.apiBusySeats, from, view.nowPointMs);
  const rejected = view.range(cluster, SIGNALS.apiRejectedRate, from, view.nowPointMs);
  const errors = view.range(cluster, SIGNALS.apiErrorRatio, from, view.nowPointMs);
  const collapseMs = config.collapseAfterSeconds * 1000;
  // first point of the trailing run of saturated points (unknown points, a dark cluster, do not end it)
  let saturatedSince: number | undefined;
  for (let i = busy.length - 1; i >= 0; i--) {
    const b = busy[i]!;
    const r = rejected[i]!;
    if (!Number.isFinite(b) && !Number.isFinite(r)) continue;
    const saturated = b >= harm.capacitySeats || r >= config.rejectedRateThreshold;
    if (!saturated) break;
    saturatedSince = from + i * view.stepMs;
  }
  const tail = (values: Float64Array): { values: Float64Array; firstMs: number } => {
    const start = Math.max(0, values.length - TREND_POINTS);
    return { values: values.slice(start), firstMs: from + start * view.stepMs };
  };
  let deadline: number;
  if (saturatedSince !== undefined) deadline = saturatedSince + collapseMs;
  else {
    const t = tail(busy);
    const slope = slopePerMs(t.values, t.firstMs, view.stepMs);
    const level = harm.busySeats;
    if (!(slope > 0) || !Number.isFinite(level)) return null;
    deadline = view.nowPointMs + Math.max(0, harm.capacitySeats - level) / slope + collapseMs;
  }
  const e = tail(errors);
  const errorSlope = slopePerMs(e.values, e.firstMs, view.stepMs);
  const errorNow = e.values.at(-1) ?? Number.NaN;
  if (errorSlope > 0 && Number.isFinite(errorNow) && errorNow < config.collapseErrorRatio) {
    deadline = Math.min(deadline, view.nowPointMs + (config.collapseErrorRatio - errorNow) / errorSlope);
  }
  return Math.round(deadline);
}
