import type { RawSeries } from '../signals/signal.types.js';

/** What a decoder hands to the service: the wanted series plus counts for the response. */
export interface DecodedWrite {
  readonly series: RawSeries[];
  /** float samples of all series, wanted or not */
  readonly samples: number;
  /** samples of series the sink does not want; never built into label objects */
  readonly ignoredSamples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

/** The one question a decoder asks the sink before building a series. */
export type WantsMetric = (metricName: string) => boolean;
