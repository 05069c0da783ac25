import type { KnownSeries, SampleColumns } from '../signals/signal.types.js';

/** entries kept between requests; a request with more (a backfill) gets them for itself */
const KEEP_ENTRIES = 1 << 18;
const INITIAL_ENTRIES = 1024;

/**
 * Collects a request's samples column-wise (see SampleColumns). One per decoder caller, reused
 * from request to request: what it holds is valid until the next reset(), so a caller delivers
 * a request's columns before decoding the next one. It grows to a request's sample count
 * (bounded by ingest.maxDecompressedBytes) and keeps at most KEEP_ENTRIES (6 MiB) after it.
 */
export class SampleColumnsBuilder implements SampleColumns {
  count = 0;
  readonly series: KnownSeries[] = [];
  timestamps: Float64Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;

  constructor() {
    this.timestamps = new Float64Array(INITIAL_ENTRIES);
    this.values = new Float64Array(INITIAL_ENTRIES);
  }

  reset(): void {
    this.count = 0;
    if (this.timestamps.length > KEEP_ENTRIES) {
      this.timestamps = new Float64Array(INITIAL_ENTRIES);
      this.values = new Float64Array(INITIAL_ENTRIES);
      this.series.length = 0;
    }
  }

  push(series: KnownSeries, timestampMs: number, value: number): void {
    const i = this.count;
    if (i === this.timestamps.length) this.grow();
    this.series[i] = series;
    this.timestamps[i] = timestampMs;
    this.values[i] = value;
    this.count = i + 1;
  }

  private grow(): void {
    const timestamps = new Float64Array(2 * this.timestamps.length);
    const values = new Float64Array(2 * this.values.length);
    timestamps.set(this.timestamps);
    values.set(this.values);
    this.timestamps = timestamps;
    this.values = values;
  }
}
