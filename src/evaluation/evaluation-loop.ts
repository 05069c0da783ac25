import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { AnalysisEngine } from './analysis-engine.js';
import { DerivedMetrics } from './derived-metrics.js';

const TICK_MS = 250;
/** beyond this many steps behind, intermediate steps are skipped (logged) */
const MAX_CATCH_UP_STEPS = 2880;

// Evaluates every signal step once, in event-time order, as the ingest watermark passes it:
// a replay of history walks the same steps as live ingestion did, so it raises the same
// alerts at the same event times.
@Injectable()
export class EvaluationLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('evaluation');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastStepMs: number | undefined;
  /** first step evaluated since this process started (event time) */
  private firstStepMs: number | undefined;
  private lastResult: AnalysisResult | null = null;
  private failures = 0;
  /** every evaluated step, in event-time order (the rollout page records its history from it) */
  readonly evaluated = new Subject<AnalysisResult>();

  constructor(
    private readonly engine: AnalysisEngine,
    private readonly alerts: AlertsService,
    private readonly metrics: DerivedMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** event time of the newest evaluated step */
  evaluatedThroughMs(): number | undefined {
    return this.lastStepMs;
  }

  latest(): AnalysisResult | null {
    return this.lastResult;
  }

  /** Evaluates every step up to the current watermark; resolves when done. */
  async catchUp(): Promise<void> {
    while (this.running) await this.running;
    await this.runOnce();
  }

  private runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.evaluatePending()
      .catch((error: unknown) => {
        // Logged once per streak, not once per tick.
        if (this.failures++ === 0) this.logger.error(`evaluation failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async evaluatePending(): Promise<void> {
    const watermark = this.engine.watermarkMs();
    if (watermark === undefined) return;
    const step = this.engine.stepMs;
    const target = Math.floor(watermark / step) * step;
    let next = this.lastStepMs === undefined ? target : this.lastStepMs + step;
    if ((target - next) / step > MAX_CATCH_UP_STEPS) {
      this.logger.warn(`evaluation is ${Math.round((target - next) / step)} steps behind; skipping to ${new Date(target).toISOString()}`);
      next = target;
    }
    for (; next <= target; next += step) {
      const result = this.engine.evaluate(next);
      this.firstStepMs ??= next;
      // Signal windows live in memory: after a start they hold too little history to say that
      // an alert raised before the restart has cleared (its pre-wave baseline is gone).
      const warmingUp = next - this.firstStepMs < this.engine.config.baselineSeconds * 1000;
      await this.alerts.apply(result, warmingUp);
      this.lastStepMs = next;
      this.lastResult = result;
      this.metrics.update(result, this.alerts.openAlerts());
      this.evaluated.next(result);
      if (this.failures > 0) {
        this.logger.log('evaluation recovered');
        this.failures = 0;
      }
    }
  }
}
