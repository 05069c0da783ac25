import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { GrafanaAnnotations } from '../notify/grafana/grafana-annotations.service.js';
import { SignalHistory } from '../signals/history/signal-history.js';
import { SignalStore } from '../signals/signal-store.js';
import { AnalysisEngine } from './analysis-engine.js';
import { DerivedMetrics } from './derived-metrics.js';

/** a burst of writes (one scrape in several requests) settles this long before the step is evaluated */
const SETTLE_MS = 10;
/** the wall clock moves a live evaluation on when no data arrives (a stalled feed) */
const WALL_TICK_MS = 1000;
/** beyond this many steps behind, intermediate steps are skipped (logged) */
const MAX_CATCH_UP_STEPS = 2880;

// Evaluates every signal step once, in event-time order, as soon as a write moves the ingest
// watermark into a new step: a replay of history walks the same steps as live ingestion did,
// so it raises the same alerts at the same event times. Final signal points are written to
// the database before the steps that read them are evaluated, so stored alert state never
// rests on points a restart would not have.
@Injectable()
export class EvaluationLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('evaluation');
  private timer: NodeJS.Timeout | null = null;
  private settle: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastStepMs: number | undefined;
  private lastResult: AnalysisResult | null = null;
  private failures = 0;
  /** every evaluated step, in event-time order (the rollout page records its history from it) */
  readonly evaluated = new Subject<AnalysisResult>();

  constructor(
    private readonly engine: AnalysisEngine,
    private readonly alerts: AlertsService,
    private readonly metrics: DerivedMetrics,
    private readonly store: SignalStore,
    private readonly history: SignalHistory,
    private readonly annotations: GrafanaAnnotations,
  ) {}

  onApplicationBootstrap(): void {
    const restored = this.history.restored();
    if (restored) {
      this.engine.clock.restore(restored.live ? 'live' : 'replay', restored.writtenAtMs);
      // re-evaluate the newest restored step, then continue step by step as data comes back
      const step = this.engine.stepMs;
      this.lastStepMs = Math.floor((restored.watermarkMs - 1) / step) * step - step;
    }
    this.store.onAppend((watermarkMs) => {
      this.engine.clock.received(watermarkMs, Date.now());
      this.schedule();
    });
    this.timer = setInterval(() => this.schedule(), WALL_TICK_MS);
    this.timer.unref();
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.settle) clearTimeout(this.settle);
    this.timer = null;
    this.settle = null;
    await this.running;
    await this.history.flush().catch((error: unknown) => this.logger.error(`final signal points not written: ${String(error)}`));
  }

  /** event time of the newest evaluated step */
  evaluatedThroughMs(): number | undefined {
    return this.lastStepMs;
  }

  latest(): AnalysisResult | null {
    return this.lastResult;
  }

  /** Evaluates every step up to the watermark's; resolves when done. */
  async catchUp(): Promise<void> {
    while (this.running) await this.running;
    await this.runOnce(true);
  }

  private schedule(): void {
    if (this.settle || this.stopped) return;
    this.settle = setTimeout(() => {
      this.settle = null;
      void this.runOnce();
    }, SETTLE_MS);
  }

  private runOnce(throughWatermark = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.evaluatePending(throughWatermark)
      .catch((error: unknown) => {
        // Logged once per streak, not once per tick.
        if (this.failures++ === 0) this.logger.error(`evaluation failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
    return this.running;
  }

  private async evaluatePending(throughWatermark: boolean): Promise<void> {
    const target = this.engine.clock.targetStep(this.engine.watermarkMs(), Date.now(), throughWatermark);
    if (target === undefined) return;
    const step = this.engine.stepMs;
    let next = this.lastStepMs === undefined ? target : this.lastStepMs + step;
    if ((target - next) / step > MAX_CATCH_UP_STEPS) {
      this.logger.warn(`evaluation is ${Math.round((target - next) / step)} steps behind; skipping to ${new Date(target).toISOString()}`);
      next = target;
    }
    if (next > target) return;
    await this.history.flush();
    for (; next <= target; next += step) {
      const result = this.engine.evaluate(next);
      await this.alerts.apply(result);
      this.lastStepMs = next;
      this.lastResult = result;
      this.metrics.update(result, this.alerts.openAlerts());
      await this.annotations.gateVerdicts(result);
      this.evaluated.next(result);
      if (this.failures > 0) {
        this.logger.log('evaluation recovered');
        this.failures = 0;
      }
    }
  }
}
