import { applyBatch, type FinalPointSink, type PullFetcher, type PulledBatch } from '../prometheus/pull-fetcher.js';
import { ASSUMED_CLUSTERS } from '../prometheus/pull-source.js';
import type { BacktestFeed } from './backtest-runner.js';

// A backtest's data from the store: range queries in batches, handed to the signal store
// one step at a time as event time passes, so no evaluation sees a point live pull mode
// would not yet have had (a point's rate window ends half a window after its step).
export class PullFeed implements BacktestFeed {
  private batch: PulledBatch | undefined;
  private nextK: number;
  private readonly shiftMs: number;
  private steps: number;
  /** steps pulled and evaluated so far, and the range queries they took */
  pulledSteps = 0;
  batches = 0;

  constructor(
    private readonly fetcher: PullFetcher,
    private readonly sink: FinalPointSink,
    private readonly stepMs: number,
    fromMs: number,
    private readonly toMs: number,
    private readonly maxBatchPoints: number,
  ) {
    this.nextK = Math.floor(fromMs / stepMs);
    this.shiftMs = Math.max(0, ...fetcher.shifts());
    this.steps = Math.max(1, Math.min(1000, Math.floor(maxBatchPoints / ASSUMED_CLUSTERS)));
  }

  async feedUntil(tMs: number): Promise<void> {
    const lastK = Math.min(Math.floor(this.toMs / this.stepMs), Math.floor((tMs - this.shiftMs) / this.stepMs) - 1);
    while (this.nextK <= lastK) {
      let batch = this.batch;
      if (!batch || this.nextK >= batch.firstK + batch.steps) {
        const steps = Math.min(this.steps, Math.floor(this.toMs / this.stepMs) - this.nextK + 1);
        batch = this.batch = await this.fetcher.fetch(this.nextK, steps);
        this.batches++;
        this.steps = Math.max(1, Math.min(1000, Math.floor(this.maxBatchPoints / Math.max(1, batch.clusters.size))));
      }
      const end = Math.min(lastK, batch.firstK + batch.steps - 1);
      applyBatch(this.sink, batch, this.stepMs, this.nextK - batch.firstK, end - batch.firstK + 1);
      this.pulledSteps += end - this.nextK + 1;
      this.nextK = end + 1;
    }
  }
}
