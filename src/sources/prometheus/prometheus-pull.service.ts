import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { ReplicaCoordinator } from '../../replicas/replica-coordinator.js';
import { SignalStore } from '../../signals/signal-store.js';
import { PullMetrics } from './pull.metrics.js';
import { PullSource } from './pull-source.js';

// Live pull mode: at start the whole lookback is fetched (a restart keeps its baselines),
// then every pull step what became due. A failed batch keeps nothing and is asked again;
// meanwhile the clusters' newest points age and the analysis reports telemetry loss.
// With replicas only the leader pulls (the others read its points from signal_points).
@Injectable()
export class PrometheusPullService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('pull');
  private readonly source: PullSource | undefined;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: SignalStore,
    metrics: PullMetrics,
    private readonly replicas: ReplicaCoordinator,
  ) {
    const source = config.sources.prometheus;
    this.intervalMs = (source?.stepSeconds ?? config.signals.stepSeconds) * 1000;
    this.source = source && new PullSource(config, source, metrics, (w) => this.logger.warn(`store warning: ${w}`));
  }

  onApplicationBootstrap(): void {
    if (!this.source) return;
    this.logger.log(`pulling from the Prometheus API, ${this.source.fetcher.queryCount} range queries per batch`);
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** pulls what is due now; resolves when done (tests, catch-up) */
  async pullNow(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.run().finally(() => (this.running = null));
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.pullNow().finally(() => this.schedule(this.nextDelayMs())), delayMs);
    this.timer.unref();
  }

  /** just after the next step is due (a step's age at evaluation is then delay + about one step), else the interval */
  private nextDelayMs(): number {
    const readyAt = this.source!.nextReadyAtMs();
    if (this.failures > 0 || readyAt === undefined) return this.intervalMs;
    return Math.max(this.intervalMs - this.source!.stepMs, 0) + Math.max(250, readyAt - Date.now() + 250);
  }

  private async run(): Promise<void> {
    if (!this.replicas.isLeader()) return;
    try {
      const steps = await this.source!.pullDue(Date.now(), this.store);
      if (this.failures > 0) this.logger.log(`pull recovered after ${this.failures} failed batches`);
      this.failures = 0;
      if (steps > 1) this.logger.log(`pulled ${steps} steps`);
    } catch (error) {
      // Logged once per streak; wavewatch_pull_batches_total{outcome="failed"} counts every one.
      if (this.failures++ === 0) this.logger.error(`pull failed, clusters age towards telemetry loss: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
