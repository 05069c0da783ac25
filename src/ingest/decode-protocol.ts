import type { DomainErrorCode } from '../common/domain-error.js';
import type { LabelPair } from '../signals/signal.types.js';
import type { LabelLimitReason } from './decoded-write.js';
import type { IngestLimits } from './ingest-limits.js';

// Messages between the ingest service and its decode workers (decode-worker.ts).

export interface DecodeWorkerData {
  readonly wantedMetrics: readonly string[];
  readonly limits: IngestLimits;
  readonly maxDecompressedBytes: number;
  /** the worker's label cache bounds (LabelSetCache) */
  readonly labelCache: { readonly maxEntriesLog2: number; readonly maxBytes: number };
}

export interface DecodeJob {
  readonly id: number;
  /** the snappy-compressed request body, transferred */
  readonly body: Uint8Array;
}

export interface SeriesDefinition {
  readonly handle: number;
  readonly labels: readonly LabelPair[];
}

export interface DecodeReply {
  readonly id: number;
  /** the worker numbered its handles afresh: forget every handle it defined before */
  readonly reset: boolean;
  /** wanted samples */
  readonly count: number;
  /** per wanted sample (column-wise, as SampleColumns) its value, timestamp and series' handle, in one transferred buffer (packColumns) */
  readonly columns: ArrayBuffer;
  /** labels of handles used for the first time in this reply */
  readonly definitions: readonly SeriesDefinition[];
  /** labels of this reply's own series (handle -1 is the first): series the worker could not cache */
  readonly transients: readonly (readonly LabelPair[])[];
  /** times the worker's label cache started over since its previous reply */
  readonly labelCacheResets: number;
  readonly samples: number;
  readonly ignoredSamples: number;
  readonly histograms: number;
  readonly exemplars: number;
  readonly discarded?: Partial<Record<LabelLimitReason, number>>;
}

export interface DecodeFailure {
  readonly id: number;
  readonly failure: { readonly code?: DomainErrorCode; readonly message: string; readonly details?: Record<string, unknown>; readonly retryAfterSeconds?: number };
}

/**
 * The three columns of a reply in one buffer: values (f64), timestamps (f64), handles (i32).
 * One transfer and one allocation per reply instead of three (each ArrayBuffer is memory the
 * receiving thread's collector accounts for).
 */
export function packColumns(count: number, values: Float64Array, timestamps: Float64Array): { buffer: ArrayBuffer; handles: Int32Array } {
  const buffer = new ArrayBuffer(20 * count);
  new Float64Array(buffer, 0, count).set(values.subarray(0, count));
  new Float64Array(buffer, 8 * count, count).set(timestamps.subarray(0, count));
  return { buffer, handles: new Int32Array(buffer, 16 * count, count) };
}

export function unpackColumns(buffer: ArrayBuffer, count: number): { values: Float64Array; timestamps: Float64Array; handles: Int32Array } {
  return { values: new Float64Array(buffer, 0, count), timestamps: new Float64Array(buffer, 8 * count, count), handles: new Int32Array(buffer, 16 * count, count) };
}
