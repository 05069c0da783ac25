import type { AppConfig, PrometheusSourceConfig } from '../../config/config.schema.js';
import { defaultCatalog } from '../../signals/signal-catalog.js';
import { mergeSpecs } from '../../signals/signal-definitions.js';
import type { ClusterDefaults } from '../../signals/step-evaluator.js';
import { clientOptions, PrometheusClient } from './prometheus-client.js';
import { applyBatch, PullFetcher, type FinalPointSink, type PulledBatch } from './pull-fetcher.js';
import { PullPlan } from './pull-plan.js';
import type { PullMetrics } from './pull.metrics.js';

/** Prometheus refuses more than 11,000 points per series; stay well under it */
const MAX_STEPS_PER_QUERY = 1000;
const REDISCOVER_MS = 10 * 60_000;
/** fleet size assumed before the first answer: a first batch of a few steps, then sized to the fleet */
export const ASSUMED_CLUSTERS = 2500;

export interface PullSourceParts {
  readonly fetcher: PullFetcher;
  readonly plan: PullPlan;
  readonly stepMs: number;
}

export function pullFetcher(config: AppConfig, source: PrometheusSourceConfig, metrics?: PullMetrics, onWarning?: (w: string) => void): PullSourceParts {
  const stepMs = config.signals.stepSeconds * 1000;
  const plan = new PullPlan(mergeSpecs(defaultCatalog(), config.signals.definitions), {
    clusterLabel: config.ingest.clusterLabel,
    stepMs,
    rateWindowMs: (source.rateWindowSeconds ?? 2 * config.signals.stepSeconds) * 1000,
  });
  const defaults: ClusterDefaults = {
    nodes: (cluster) => config.clusters[cluster]?.nodes,
    capacitySeats: (cluster) => config.clusters[cluster]?.capacitySeats,
    seatsPerInstance: config.analysis.defaultCapacitySeats,
  };
  return { fetcher: new PullFetcher(plan, new PrometheusClient(clientOptions(source), metrics, onWarning), defaults), plan, stepMs };
}

// Pull mode without a framework: which steps are due, in batches bounded by cluster × step
// points, each batch all or nothing. Used by the service (live), the backtest and the bench.
export class PullSource {
  readonly fetcher: PullFetcher;
  readonly stepMs: number;
  /** next step to pull */
  private nextK: number | undefined;
  private clustersSeen = ASSUMED_CLUSTERS;
  private discoveredAtMs = -Infinity;
  private readonly lookbackMs: number;

  constructor(
    config: AppConfig,
    private readonly source: PrometheusSourceConfig,
    private readonly metrics?: PullMetrics,
    onWarning?: (w: string) => void,
  ) {
    ({ fetcher: this.fetcher, stepMs: this.stepMs } = pullFetcher(config, source, metrics, onWarning));
    this.lookbackMs = (source.lookbackSeconds ?? config.signals.windowSeconds) * 1000;
  }

  /** newest step whose queries only read data older than the store's delay at wall time nowMs */
  lastReadyStep(nowMs: number): number {
    const shift = Math.max(0, ...this.fetcher.shifts());
    return Math.floor((nowMs - this.source.delaySeconds * 1000 - shift) / this.stepMs) - 1;
  }

  /**
   * Pulls every due step into the sink: at first the lookback (backfill), then what is new.
   * Throws when a batch fails after its retries; the steps are asked again next time.
   */
  async pullDue(nowMs: number, sink: FinalPointSink, onBatch?: (batch: PulledBatch) => void): Promise<number> {
    const last = this.lastReadyStep(nowMs);
    this.nextK ??= Math.floor((nowMs - this.lookbackMs) / this.stepMs);
    await this.refreshRecorded(nowMs);
    let pulled = 0;
    while (this.nextK <= last) {
      const steps = Math.min(last - this.nextK + 1, this.batchSteps());
      let batch: PulledBatch;
      try {
        batch = await this.fetcher.fetch(this.nextK, steps);
      } catch (error) {
        this.metrics?.batches.inc({ outcome: 'failed' });
        throw error;
      }
      this.metrics?.batches.inc({ outcome: 'ok' });
      this.clustersSeen = Math.max(1, batch.clusters.size);
      if (onBatch) onBatch(batch);
      else applyBatch(sink, batch, this.stepMs);
      this.nextK += steps;
      pulled += steps;
      this.metrics?.pulledThrough.set((this.nextK * this.stepMs) / 1000);
    }
    return pulled;
  }

  /** wall time at which the next step can be pulled (undefined before the first pull) */
  nextReadyAtMs(): number | undefined {
    if (this.nextK === undefined) return undefined;
    return (this.nextK + 1) * this.stepMs + this.source.delaySeconds * 1000 + Math.max(0, ...this.fetcher.shifts());
  }

  /** steps per batch so that clusters × steps stays under maxBatchPoints */
  batchSteps(): number {
    return Math.max(1, Math.min(MAX_STEPS_PER_QUERY, Math.floor(this.source.maxBatchPoints / this.clustersSeen)));
  }

  private async refreshRecorded(nowMs: number): Promise<void> {
    const mode = this.source.recordingRules;
    if (mode === 'never' || nowMs - this.discoveredAtMs < REDISCOVER_MS) return;
    this.discoveredAtMs = nowMs;
    if (mode === 'always') return this.fetcher.useRecorded(new Set(this.fetcher.queryIds()));
    try {
      this.fetcher.useRecorded(await this.fetcher.discoverRecorded(nowMs - this.source.delaySeconds * 1000));
    } catch {
      // keep what was known; the raw series answer the same, only slower. Asked again next batch.
      this.discoveredAtMs = -Infinity;
    }
  }
}
