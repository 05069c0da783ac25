import { stepLifecycle, type AlertRecord, type LifecycleOptions } from '../../alerts/alert-lifecycle.js';
import { conditionFromFinding } from '../../alerts/alert-record.mapper.js';
import { unobservedAlerts } from '../../alerts/unobserved-alerts.js';
import { Analyzer } from '../../analysis/analyzer.js';
import type { AnalysisConfig } from '../../analysis/analysis-config.js';
import type { Verdict } from '../../analysis/analysis.types.js';
import { byEventTime, deriveRollouts } from '../../rollouts/rollout-state.js';
import type { DeployEvent } from '../../rollouts/rollout.types.js';
import type { SignalReader } from '../../signals/signal.types.js';

// A past period evaluated exactly as the live process would have: data is fed in event-time
// order, every step is evaluated once as the watermark passes it (EvaluationLoop's rule),
// findings go through the real alert lifecycle, and the gate is asked before every wave
// with the events known at that moment. Push and pull feeds share this, which is what the
// push-vs-pull comparison relies on.

/** the data source of a backtest: makes everything with event time < tMs visible to the reader */
export interface BacktestFeed {
  feedUntil(tMs: number): Promise<void>;
}

export interface TimelineEntry {
  readonly atMs: number;
  readonly transition: 'firing' | 'resolved';
  readonly alertName: string;
  readonly severity: string;
  readonly rolloutId: string | null;
  readonly wave: string | null;
  readonly clusters: readonly string[];
  readonly onsetMs: number;
}

export interface GateEntry {
  readonly atMs: number;
  readonly rolloutId: string;
  readonly wave: string;
  readonly verdict: Verdict | 'unknown';
  readonly reasons: readonly string[];
}

export interface BacktestResult {
  readonly timeline: TimelineEntry[];
  readonly gates: GateEntry[];
  readonly evaluatedSteps: number;
}

export interface BacktestInput {
  readonly reader: SignalReader;
  readonly feed: BacktestFeed;
  readonly events: readonly DeployEvent[];
  readonly config: AnalysisConfig;
  readonly lifecycle: LifecycleOptions;
  readonly fromMs: number;
  readonly toMs: number;
}

export async function runBacktest(input: BacktestInput): Promise<BacktestResult> {
  const { reader, feed, config, lifecycle } = input;
  const stepMs = reader.stepMs;
  const analyzer = new Analyzer();
  const events = [...input.events].sort(byEventTime);
  const known: DeployEvent[] = [];
  const timeline: TimelineEntry[] = [];
  const gates: GateEntry[] = [];
  let open: AlertRecord[] = [];
  let ids = 0;
  let lastStepMs: number | undefined;
  let evaluatedSteps = 0;

  const evaluatePending = (): void => {
    const watermark = reader.watermarkMs();
    if (watermark === undefined) return;
    const target = Math.min(Math.floor(watermark / stepMs) * stepMs, input.toMs);
    let next = lastStepMs === undefined ? Math.max(target, Math.ceil(input.fromMs / stepMs) * stepMs) : lastStepMs + stepMs;
    for (; next <= target; next += stepMs) {
      const nowMs = next;
      const rollouts = deriveRollouts(known).filter((r) => r.startedAtMs <= nowMs);
      const result = analyzer.evaluate({ reader, rollouts, config, nowMs });
      const conditions = result.findings.map((f) => conditionFromFinding(f, {}));
      // as live: an alert of a cluster gone dark is held open, not resolved
      const step = stepLifecycle(open, conditions, nowMs, { ...lifecycle, holdOpen: unobservedAlerts(open, result) }, () => `bt-${++ids}`);
      const byFingerprint = new Map(open.map((r) => [r.fingerprint, r]));
      for (const r of step.changed) byFingerprint.set(r.fingerprint, r);
      open = [...byFingerprint.values()].filter((r) => r.state !== 'resolved');
      for (const { record, transition } of step.transitions) {
        timeline.push({
          atMs: nowMs,
          transition,
          alertName: record.name,
          severity: record.severity,
          rolloutId: record.rolloutId,
          wave: record.wave,
          clusters: record.clusters,
          onsetMs: record.onsetMs,
        });
      }
      lastStepMs = nowMs;
      evaluatedSteps++;
    }
  };

  const gate = (e: DeployEvent): void => {
    // what a deploy tool asking before this wave would have been told: every event known then
    const nowMs = reader.watermarkMs() ?? e.atMs;
    const result = analyzer.evaluate({ reader, rollouts: deriveRollouts(known), config, nowMs });
    const health = result.rollouts.find((r) => r.rolloutId === e.rolloutId);
    gates.push({
      atMs: e.atMs,
      rolloutId: e.rolloutId,
      wave: e.wave ?? '',
      verdict: health?.verdict ?? 'unknown',
      reasons: health?.reasons.map((r) => r.message) ?? [],
    });
  };

  const start = Math.floor(input.fromMs / stepMs) * stepMs;
  let next = 0;
  for (let t = start; t <= input.toMs + stepMs; t += stepMs) {
    while (next < events.length && events[next]!.atMs <= t) {
      const e = events[next++]!;
      await feed.feedUntil(e.atMs);
      evaluatePending();
      if (e.type === 'wave_started' && e.atMs >= input.fromMs && e.atMs <= input.toMs) gate(e);
      known.push(e);
    }
    await feed.feedUntil(t);
    evaluatePending();
  }
  return { timeline, gates, evaluatedSteps };
}
