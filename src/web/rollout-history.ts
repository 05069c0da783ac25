import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { AnalysisResult, GateReason, Verdict } from '../analysis/analysis.types.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { EvaluationLoop } from '../evaluation/evaluation-loop.js';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';

/** A verdict the gate would have answered from this step on (recorded on change only). */
export interface VerdictChange {
  readonly atMs: number;
  readonly verdict: Verdict;
  readonly reasons: readonly GateReason[];
  readonly nextWave: string | null;
}

/** Parallel arrays, one entry per evaluated step, oldest first. */
export interface ClusterHistory {
  readonly t: number[];
  readonly projected: number[];
  readonly timeToImpact: (number | null)[];
}

export interface PredictionHistory {
  readonly t: number[];
  /** highest predicted utilisation over the next wave's clusters */
  readonly maxPredicted: number[];
}

/** Answers the gate served to deploy tools; consecutive equal verdicts fold into one entry. */
export interface GateAnswerRun {
  readonly fromMs: number;
  toMs: number;
  readonly verdict: Verdict;
  count: number;
}

interface RolloutRecord {
  readonly changes: VerdictChange[];
  readonly answers: GateAnswerRun[];
  readonly prediction: PredictionHistory;
}

const MAX_REASONS = 20;

// What the signal store cannot replay: the verdict over time and the projected DNS ratio
// are outputs of each evaluated step, so they are recorded here as the loop produces them.
// Memory is bounded by config (clusters, rollouts, changes) and by the signal window in
// time; what does not fit is dropped and counted. Kept in memory: a restart starts afresh.
@Injectable()
export class RolloutHistory implements OnModuleDestroy {
  private readonly rollouts = new Map<string, RolloutRecord>();
  private readonly clusters = new Map<string, ClusterHistory>();
  private readonly dropped: Counter<'kind'>;
  private readonly subscription: Subscription;
  private readonly windowMs: number;

  constructor(
    loop: EvaluationLoop,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.windowMs = config.signals.windowSeconds * 1000;
    this.dropped = new Counter({
      name: 'wavewatch_web_history_dropped_total',
      help: 'Rollout-page history entries not kept because a web.* bound was reached, by kind',
      labelNames: ['kind'],
      registers: [registry],
    });
    for (const kind of ['cluster', 'rollout', 'verdict_change', 'gate_answer']) this.dropped.inc({ kind }, 0);
    this.subscription = loop.evaluated.subscribe((result) => this.record(result));
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  verdictChanges(rolloutId: string): readonly VerdictChange[] {
    return this.rollouts.get(rolloutId)?.changes ?? [];
  }

  gateAnswers(rolloutId: string): readonly GateAnswerRun[] {
    return this.rollouts.get(rolloutId)?.answers ?? [];
  }

  /** A gate answer served at event time atMs (its evaluatedAt). */
  recordGateAnswer(rolloutId: string, atMs: number, verdict: Verdict): void {
    const answers = this.rolloutRecord(rolloutId).answers;
    const last = answers.at(-1);
    if (last && last.verdict === verdict && atMs >= last.toMs) {
      last.toMs = atMs;
      last.count++;
      return;
    }
    if (answers.length >= this.config.web.verdictChangesPerRollout) {
      answers.shift();
      this.dropped.inc({ kind: 'gate_answer' });
    }
    answers.push({ fromMs: atMs, toMs: atMs, verdict, count: 1 });
  }

  prediction(rolloutId: string): PredictionHistory | undefined {
    return this.rollouts.get(rolloutId)?.prediction;
  }

  cluster(name: string): ClusterHistory | undefined {
    return this.clusters.get(name);
  }

  record(result: AnalysisResult): void {
    const now = result.evaluatedAt;
    for (const r of result.rollouts) {
      const record = this.rolloutRecord(r.rolloutId);
      const last = record.changes.at(-1);
      // A change is a new verdict or a new set of critical reasons; warnings that come and
      // go under the same verdict would bury the answers that matter.
      if (!last || last.verdict !== r.verdict || criticalKey(last.reasons) !== criticalKey(r.reasons)) {
        if (record.changes.length >= this.config.web.verdictChangesPerRollout) {
          record.changes.shift();
          this.dropped.inc({ kind: 'verdict_change' });
        }
        record.changes.push({ atMs: now, verdict: r.verdict, reasons: r.reasons.slice(0, MAX_REASONS), nextWave: r.nextWave?.wave ?? null });
      }
      const predictions = r.nextWave?.predictions ?? [];
      if (predictions.length > 0) {
        record.prediction.t.push(now);
        record.prediction.maxPredicted.push(Math.max(...predictions.map((p) => p.predictedUtilization)));
        trim(record.prediction.t, now - this.windowMs, [record.prediction.maxPredicted]);
      }
    }
    for (const c of result.clusters) {
      if (!c.dns) continue;
      const history = this.clusterHistory(c.cluster);
      if (!history) continue;
      history.t.push(now);
      history.projected.push(c.dns.projectedErrorRatio);
      history.timeToImpact.push(c.dns.timeToImpactSeconds);
      trim(history.t, now - this.windowMs, [history.projected, history.timeToImpact]);
    }
  }

  private rolloutRecord(id: string): RolloutRecord {
    const known = this.rollouts.get(id);
    if (known) return known;
    // The oldest rollout makes room: a new rollout is the one someone is watching.
    const oldest = this.rollouts.keys().next();
    if (this.rollouts.size >= this.config.web.historyRollouts && !oldest.done) {
      this.rollouts.delete(oldest.value);
      this.dropped.inc({ kind: 'rollout' });
    }
    const fresh: RolloutRecord = { changes: [], answers: [], prediction: { t: [], maxPredicted: [] } };
    this.rollouts.set(id, fresh);
    return fresh;
  }

  private clusterHistory(name: string): ClusterHistory | undefined {
    const known = this.clusters.get(name);
    if (known) return known;
    if (this.clusters.size >= this.config.web.historyClusters) {
      this.dropped.inc({ kind: 'cluster' });
      return undefined;
    }
    const fresh: ClusterHistory = { t: [], projected: [], timeToImpact: [] };
    this.clusters.set(name, fresh);
    return fresh;
  }
}

function criticalKey(reasons: readonly GateReason[]): string {
  return reasons
    .filter((x) => x.severity === 'critical')
    .map((x) => `${x.code}:${x.cluster ?? ''}`)
    .sort()
    .join(',');
}

// Drops points older than the signal window from the time array and its parallel arrays.
function trim(t: number[], oldestMs: number, parallel: unknown[][]): void {
  let n = 0;
  while (n < t.length && t[n]! < oldestMs) n++;
  if (n === 0) return;
  t.splice(0, n);
  for (const p of parallel) p.splice(0, n);
}
