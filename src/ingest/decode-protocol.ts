import type { DomainErrorCode } from '../common/domain-error.js';
import type { LabelPair } from '../signals/signal.types.js';
import type { LabelLimitReason } from './decoded-write.js';
import type { IngestLimits } from './ingest-limits.js';

// Messages between the ingest service and its decode workers (decode-worker.ts).

export interface DecodeWorkerData {
  readonly wantedMetrics: readonly string[];
  readonly limits: IngestLimits;
  readonly maxDecompressedBytes: number;
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
  /** per wanted sample (column-wise, as SampleColumns): its series' handle, value and timestamp */
  readonly handles: Int32Array<ArrayBuffer>;
  readonly values: Float64Array<ArrayBuffer>;
  readonly timestamps: Float64Array<ArrayBuffer>;
  /** labels of handles used for the first time in this reply */
  readonly definitions: readonly SeriesDefinition[];
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
