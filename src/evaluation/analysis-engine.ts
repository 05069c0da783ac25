import { Inject, Injectable } from '@nestjs/common';
import { Analyzer } from '../analysis/analyzer.js';
import type { AnalysisConfig } from '../analysis/analysis-config.js';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type { RolloutState } from '../rollouts/rollout.types.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
import type { SignalReader } from '../signals/signal.types.js';
import { SIGNAL_READER } from '../signals/signals.tokens.js';
import { analysisConfigFrom } from '../analysis/analysis-config.js';
import { EvaluationClock } from './evaluation-clock.js';

// Runs the pure analysis over the live signal store and rollout state. "Now" is event time;
// the clock says whether the wall clock counts (live) or not (a replay of history).
@Injectable()
export class AnalysisEngine {
  private readonly analyzer = new Analyzer();
  /** for rollouts outside the loop's evaluation (announced after the newest step, or ended): its own baseline cache */
  private readonly sideAnalyzer = new Analyzer();
  readonly config: AnalysisConfig;
  readonly clock: EvaluationClock;

  constructor(
    @Inject(SIGNAL_READER) private readonly reader: SignalReader,
    private readonly rollouts: RolloutsService,
    @Inject(APP_CONFIG) appConfig: AppConfig,
  ) {
    this.config = analysisConfigFrom(appConfig);
    this.clock = new EvaluationClock(reader.stepMs, this.config.telemetryLostAfterSeconds * 1000);
  }

  get stepMs(): number {
    return this.reader.stepMs;
  }

  watermarkMs(): number | undefined {
    return this.reader.watermarkMs();
  }

  /** newest sample time of a cluster, if it reported */
  lastSampleMs(cluster: string): number | undefined {
    return this.reader.cluster(cluster)?.lastSampleMs;
  }

  /**
   * One evaluation at nowMs of the hot set: rollouts started by then that can still be blamed
   * (in progress, or ended within the grace period), as live ingestion would have known them.
   */
  evaluate(nowMs: number): AnalysisResult {
    return this.run(this.analyzer, nowMs, this.rollouts.all().filter((r) => r.startedAtMs <= nowMs && this.hot(r, nowMs)));
  }

  /** one rollout on its own (the gate asks about one the step's evaluation did not include) */
  evaluateOne(nowMs: number, rollout: RolloutState): AnalysisResult {
    return this.run(this.sideAnalyzer, nowMs, [rollout]);
  }

  private run(analyzer: Analyzer, nowMs: number, rollouts: RolloutState[]): AnalysisResult {
    return analyzer.evaluate({
      reader: this.reader,
      rollouts,
      config: this.config,
      nowMs,
      wallClockMs: this.clock.isLive() ? Date.now() : undefined,
    });
  }

  /** ended rollouts leave the hot set once they can no longer be blamed */
  private hot(r: RolloutState, nowMs: number): boolean {
    return r.status === 'in_progress' || r.endedAtMs === null || r.endedAtMs > nowMs || nowMs - r.endedAtMs <= this.config.rolloutGraceSeconds * 1000;
  }
}
