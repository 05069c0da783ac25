import type { RawSeries, SampleColumns } from '../signals/signal.types.js';

/** Per-series label limits: a series over one is dropped and counted, the rest of the request kept. */
export type LabelLimitReason = 'max_labels_per_series' | 'label_name_too_long' | 'label_value_too_long' | 'line_too_long';

/** What a decoder hands to the service: the wanted series plus counts for the response. */
export interface DecodedWrite {
  readonly series: RawSeries[];
  /**
   * more wanted samples, of series the decoder hands out again on every request (remote_write
   * 1.0's label cache); taken after `series`. Reused by the decoder's caller: valid until it
   * decodes the next request.
   */
  readonly columns?: SampleColumns;
  /** float samples of all series, wanted or not */
  readonly samples: number;
  /** samples of series the sink does not want; never built into label objects */
  readonly ignoredSamples: number;
  readonly histograms: number;
  readonly exemplars: number;
  /** samples of series dropped for a label limit, by reason (absent means none) */
  readonly discarded?: Partial<Record<LabelLimitReason, number>>;
}

/** The one question a decoder asks the sink before building a series. */
export type WantsMetric = (metricName: string) => boolean;

export function countDiscard(into: Partial<Record<LabelLimitReason, number>>, reason: LabelLimitReason, samples: number): void {
  into[reason] = (into[reason] ?? 0) + samples;
}
