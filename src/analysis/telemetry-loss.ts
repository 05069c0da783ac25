// Fail closed: a wave cluster whose metrics stop (against the other clusters' watermark or
// the wall clock), whose apiserver series went stale while others still arrive, or whose
// scrape targets are down is lost. A control plane that collapsed under load looks like this.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import { checkRun, runOnset } from './condition-run.js';
import { RECENT_STEPS, type SignalView } from './signal-view.js';

export interface TelemetryLoss {
  readonly cluster: string;
  readonly cause: 'never_reported' | 'silent' | 'apiserver_stale' | 'targets_down';
  readonly onsetMs: number;
  readonly lastSampleMs: number | null;
  readonly silentSeconds: number;
}

const APISERVER_SIGNALS = [SIGNALS.apiBusySeats, SIGNALS.apiRequestRate];

function lastFiniteMs(values: Float64Array, firstMs: number, stepMs: number): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i]!)) return firstMs + i * stepMs;
  return undefined;
}

function apiserverStale(view: SignalView, cluster: string, lostAfterMs: number): TelemetryLoss | undefined {
  const info = view.info(cluster);
  const tracked = APISERVER_SIGNALS.filter((s) => info?.signals.includes(s));
  if (tracked.length === 0) return undefined;
  if (tracked.some((s) => Number.isFinite(view.latest(cluster, s)))) return undefined;
  const from = view.nowPointMs - Math.ceil((2 * lostAfterMs) / view.stepMs) * view.stepMs;
  const lasts = tracked.map((s) => lastFiniteMs(view.range(cluster, s, from, view.nowPointMs), from, view.stepMs) ?? from);
  const last = Math.max(...lasts);
  const silentMs = view.nowPointMs - last;
  if (silentMs <= lostAfterMs) return undefined;
  return { cluster, cause: 'apiserver_stale', onsetMs: last + lostAfterMs, lastSampleMs: last, silentSeconds: silentMs / 1000 };
}

/** the loss of one wave cluster, or undefined while it reports */
export function assessTelemetry(
  view: SignalView,
  cluster: string,
  waveStartMs: number,
  config: AnalysisConfig,
  wallClockMs: number | undefined,
): TelemetryLoss | undefined {
  const lostAfterMs = config.telemetryLostAfterSeconds * 1000;
  const last = view.info(cluster)?.lastSampleMs;
  if (last === undefined) {
    const onsetMs = waveStartMs + lostAfterMs;
    return view.nowMs >= onsetMs ? { cluster, cause: 'never_reported', onsetMs, lastSampleMs: null, silentSeconds: (view.nowMs - waveStartMs) / 1000 } : undefined;
  }
  if (view.nowMs - last > lostAfterMs) {
    return { cluster, cause: 'silent', onsetMs: last + lostAfterMs, lastSampleMs: last, silentSeconds: (view.nowMs - last) / 1000 };
  }
  if (wallClockMs !== undefined) {
    const current = Math.max(last, view.currentLastSampleMs(cluster) ?? last);
    if (wallClockMs - current > lostAfterMs) {
      return { cluster, cause: 'silent', onsetMs: current + lostAfterMs, lastSampleMs: current, silentSeconds: (wallClockMs - current) / 1000 };
    }
  }
  const down = view.recent(cluster, SIGNALS.targetsDown);
  const up = view.recent(cluster, SIGNALS.targetsUp);
  const allDown = down.map((d, i) => (Number.isFinite(d) ? (d > 0 && !(up[i]! > 0) ? 1 : 0) : Number.NaN));
  if (checkRun(allDown, config.confirmPoints, Number.POSITIVE_INFINITY).active) {
    const recentFirst = view.nowPointMs - (RECENT_STEPS - 1) * view.stepMs;
    const onsetMs = runOnset(allDown, recentFirst, view.stepMs) ?? recentFirst;
    return { cluster, cause: 'targets_down', onsetMs, lastSampleMs: last, silentSeconds: 0 };
  }
  return apiserverStale(view, cluster, lostAfterMs);
}
