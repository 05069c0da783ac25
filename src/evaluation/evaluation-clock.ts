// Live or replay, and which step to evaluate next. Event time drives the analysis, but in live
// use it is bounded by the wall clock on both sides: never ahead of it (a sample stamped in the
// future does not move the evaluation there), and never frozen behind it (a live feed that
// stops is telemetry loss, not the last verdict forever).

/** data received with event time within this of the wall clock is live */
export const LIVE_WINDOW_MS = 5 * 60_000;
/** clock skew allowed between senders and wavewatch before evaluation waits for the wall clock */
export const CLOCK_TOLERANCE_MS = 5_000;

export type ClockMode = 'live' | 'replay';

export class EvaluationClock {
  private current: ClockMode | null = null;
  /** wall time of the newest accepted write */
  private lastReceiptMs = -Infinity;

  constructor(
    private readonly stepMs: number,
    /** how long a live feed may be quiet before evaluation moves on by the wall clock */
    private readonly stallAfterMs: number,
  ) {}

  /** the mode the stored history was written in, until data arrives (its wall time counts as the last receipt) */
  restore(mode: ClockMode, writtenAtMs: number): void {
    if (this.current !== null) return;
    this.current = mode;
    this.lastReceiptMs = writtenAtMs;
  }

  /** every accepted write: live when its newest sample is near the wall clock at receipt */
  received(watermarkMs: number, wallMs: number): void {
    this.current = Math.abs(wallMs - watermarkMs) <= LIVE_WINDOW_MS ? 'live' : 'replay';
    this.lastReceiptMs = wallMs;
  }

  /** the mode of the newest data; a feed that stopped keeps the mode it had (default replay: no wall-clock judgement before any data) */
  mode(): ClockMode {
    return this.current ?? 'replay';
  }

  isLive(): boolean {
    return this.mode() === 'live';
  }

  /**
   * The newest step to evaluate: the watermark's step (a replay: the one before); in live use, once nothing has arrived
   * for the stall allowance, the wall clock's step minus that allowance (time goes on without
   * data); never a step starting after the wall clock plus a small tolerance.
   */
  targetStep(watermarkMs: number | undefined, wallMs: number, throughWatermark = false): number | undefined {
    const step = this.stepMs;
    const align = (ms: number): number => Math.floor(ms / step) * step;
    let target = watermarkMs === undefined ? undefined : align(watermarkMs);
    // a replay waits for the next step's first sample, so the whole scrape of a step has
    // arrived before it is evaluated: the same replay gives the same alerts at any speed
    // (catch-up evaluates the newest step too)
    if (target !== undefined && !this.isLive() && !throughWatermark) target -= step;
    if (target !== undefined && this.isLive() && wallMs - this.lastReceiptMs > this.stallAfterMs) target = Math.max(target, align(wallMs - this.stallAfterMs));
    if (target === undefined) return undefined;
    return Math.min(target, align(wallMs + CLOCK_TOLERANCE_MS));
  }
}
