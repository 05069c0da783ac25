import { Inject, Injectable } from '@nestjs/common';
import { Analyzer } from '../analysis/analyzer.js';
import type { AnalysisConfig } from '../analysis/analysis-config.js';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
import type { SignalReader } from '../signals/signal.types.js';
import { SIGNAL_READER } from '../signals/signals.tokens.js';
import { analysisConfigFrom } from '../analysis/analysis-config.js';

// The wall clock only counts for telemetry loss when ingestion is live: a replay of last
// week must not find every cluster silent.
const LIVE_WINDOW_MS = 5 * 60_000;

// Runs the pure analysis over the live signal store and rollout state. "Now" is the ingest
// watermark (event time); the loop evaluates step by step, the gate at the watermark.
@Injectable()
export class AnalysisEngine {
  private readonly analyzer = new Analyzer();
  readonly config: AnalysisConfig;

  constructor(
    @Inject(SIGNAL_READER) private readonly reader: SignalReader,
    private readonly rollouts: RolloutsService,
    @Inject(APP_CONFIG) appConfig: AppConfig,
  ) {
    this.config = analysisConfigFrom(appConfig);
  }

  get stepMs(): number {
    return this.reader.stepMs;
  }

  watermarkMs(): number | undefined {
    return this.reader.watermarkMs();
  }

  /**
   * One evaluation at nowMs. The step loop passes only rollouts that had started by then, as
   * live ingestion would have known them; the gate (`includeUpcoming`) also passes a rollout
   * announced a moment after the newest sample, so "may the first wave go?" is answered.
   */
  evaluate(nowMs: number, includeUpcoming = false): AnalysisResult {
    const wall = Date.now();
    const live = Math.abs(wall - nowMs) <= LIVE_WINDOW_MS;
    return this.analyzer.evaluate({
      reader: this.reader,
      rollouts: includeUpcoming ? this.rollouts.all() : this.rollouts.all().filter((r) => r.startedAtMs <= nowMs),
      config: this.config,
      nowMs,
      wallClockMs: live ? wall : undefined,
    });
  }

  /** An evaluation at the watermark for the gate, with every known rollout. */
  current(): AnalysisResult | null {
    const watermark = this.reader.watermarkMs();
    return watermark === undefined ? null : this.evaluate(watermark, true);
  }
}
