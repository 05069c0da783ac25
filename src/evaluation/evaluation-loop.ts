import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Subject, type Subscription } from 'rxjs';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { GrafanaAnnotations } from '../notify/grafana/grafana-annotations.service.js';
import { CHANNELS, ReplicaCoordinator } from '../replicas/replica-coordinator.js';
import { LeadLostError, SharedEvaluation, type PublishedEvaluation } from '../replicas/shared-evaluation.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
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
//
// Replicas (src/replicas): only the leader evaluates. Every replica writes the final points of
// what it ingested and reads the others' before each pass; the leader marks each step in the
// transaction of its alerts (evaluated_through) and publishes the newest result, which the
// followers adopt (NOTIFY) for their gate. A new leader reloads alerts and rollouts and
// continues after the stored evaluated_through.
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
  /** the watermark's step when final points were last written on an append */
  private flushedStep = -Infinity;
  private flushFailing = false;
  /** the leader reads the shared state before its first evaluation (start, take-over) */
  private takeOver = true;
  /** follower: the leader's newest published step */
  private published: PublishedEvaluation | null = null;
  private following: Promise<void> = Promise.resolve();
  private readonly subscriptions: Subscription[] = [];
  /** every evaluated step, in event-time order (the rollout page records its history from it) */
  readonly evaluated = new Subject<AnalysisResult>();

  constructor(
    private readonly engine: AnalysisEngine,
    private readonly alerts: AlertsService,
    private readonly metrics: DerivedMetrics,
    private readonly store: SignalStore,
    private readonly history: SignalHistory,
    private readonly annotations: GrafanaAnnotations,
    private readonly replicas: ReplicaCoordinator,
    private readonly shared: SharedEvaluation,
    private readonly rollouts: RolloutsService,
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
      this.writeFinalSteps(watermarkMs);
      this.schedule();
    });
    this.timer = setInterval(() => this.schedule(), WALL_TICK_MS);
    this.timer.unref();
    this.subscriptions.push(
      this.replicas.leadership.subscribe((leader) => {
        if (leader) this.takeOver = true;
        else void this.follow();
        this.schedule();
      }),
      this.replicas.messages.subscribe((m) => {
        if (m.channel === CHANNELS.points || m.channel === 'resync') this.schedule();
        if (m.channel === CHANNELS.evaluation || m.channel === 'resync') void this.follow();
      }),
    );
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const s of this.subscriptions) s.unsubscribe();
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

  /** null on the leader; on a follower, the leader's newest published step (null: none yet) */
  follower(): { published: PublishedEvaluation | null } | null {
    return this.replicas.isLeader() ? null : { published: this.published };
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

  /**
   * Final points are written as soon as the watermark enters a new step, not only when an
   * evaluation pass starts: a pass that lags (a replay under load, a leader's heavier pass)
   * must not leave accepted samples of finished steps in memory only, where kill -9 loses
   * them (seen: a restart two steps behind answered the gate from older data).
   */
  private writeFinalSteps(watermarkMs: number): void {
    const step = Math.floor(watermarkMs / this.engine.stepMs);
    if (!(step > this.flushedStep)) return;
    this.flushedStep = step;
    this.history.flush().then(
      () => (this.flushFailing = false),
      (error: unknown) => {
        if (!this.flushFailing) this.logger.error(`writing final signal points failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
        this.flushFailing = true;
      },
    );
  }

  /** follower: adopts the leader's newest published step and the open alerts it left */
  private follow(): Promise<void> {
    this.following = this.following.then(async () => {
      if (this.replicas.isLeader() || this.stopped) return;
      try {
        const state = await this.shared.read();
        await this.alerts.reload();
        this.published = state;
        if (!state?.result || this.replicas.isLeader() || state.result.evaluatedAt === this.lastResult?.evaluatedAt) return;
        this.lastStepMs = state.evaluatedThroughMs;
        this.adopt(state.result);
      } catch (error) {
        this.logger.warn(`reading the leader's evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.following;
  }

  private adopt(result: AnalysisResult): void {
    this.lastResult = result;
    this.metrics.update(result, this.alerts.openAlerts());
    this.evaluated.next(result);
  }

  /** a new leader: what the previous one left is the truth (alerts, rollouts, the last evaluated step) */
  private async takeOverState(): Promise<void> {
    // one process per database (PGlite) loaded both at start and nobody else writes them
    if (this.replicas.shared) {
      await this.alerts.reload();
      await this.rollouts.reload();
    }
    const state = await this.shared.read();
    if (state) {
      this.engine.clock.restore(state.live ? 'live' : 'replay', state.writtenAtMs);
      this.lastStepMs = state.evaluatedThroughMs;
      // the gate answers at once: the published result, or (killed between its alerts and the
      // publication) the same step evaluated again without touching alerts
      this.adopt(state.result?.evaluatedAt === state.evaluatedThroughMs ? state.result : this.engine.evaluate(state.evaluatedThroughMs));
    }
    this.takeOver = false;
    if (this.replicas.shared) this.logger.log(`replica ${this.replicas.id} leads; continuing after ${state ? new Date(state.evaluatedThroughMs).toISOString() : 'the newest restored step'}`);
  }

  private async evaluatePending(throughWatermark: boolean): Promise<void> {
    await this.history.flush();
    const imported = await this.history.importForeign();
    const watermark = this.engine.watermarkMs();
    // points another replica received count as received here (live or replay, stalls)
    if (imported.fresh && watermark !== undefined) this.engine.clock.received(watermark, Date.now());
    if (!this.replicas.isLeader()) return;
    if (this.takeOver) await this.takeOverState();
    try {
      await this.evaluateSteps(throughWatermark);
    } catch (error) {
      if (!(error instanceof LeadLostError)) throw error;
      this.logger.warn(`${error.message}; this replica no longer leads`);
      this.takeOver = true;
    }
  }

  private async evaluateSteps(throughWatermark: boolean): Promise<void> {
    const target = this.engine.clock.targetStep(this.engine.watermarkMs(), Date.now(), throughWatermark);
    if (target === undefined) return;
    const step = this.engine.stepMs;
    let next = this.lastStepMs === undefined ? target : this.lastStepMs + step;
    if ((target - next) / step > MAX_CATCH_UP_STEPS) {
      this.logger.warn(`evaluation is ${Math.round((target - next) / step)} steps behind; skipping to ${new Date(target).toISOString()}`);
      next = target;
    }
    if (next > target) return;
    let published: AnalysisResult | null = null;
    for (; next <= target && this.replicas.isLeader(); next += step) {
      const result = this.engine.evaluate(next);
      const at = next;
      await this.alerts.apply(result, (manager) => this.shared.advance(manager, at, this.engine.clock.isLive()));
      published = result;
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
    if (published) await this.shared.publish(published);
  }
}
