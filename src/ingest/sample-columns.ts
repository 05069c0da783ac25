import type { KnownSeries, SampleColumns } from '../signals/signal.types.js';

/**
 * Collects a request's samples column-wise (see SampleColumns). One per decoder caller, reused
 * from request to request: what it holds is valid until the next reset(), so a caller delivers
 * a request's columns before decoding the next one. It grows to the largest request's sample
 * count (bounded by ingest.maxDecompressedBytes) and keeps that size.
 */
export class SampleColumnsBuilder implements SampleColumns {
  count = 0;
  readonly series: KnownSeries[] = [];
  timestamps: Float64Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;

  constructor(capacity = 1024) {
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  reset(): void {
    this.count = 0;
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
