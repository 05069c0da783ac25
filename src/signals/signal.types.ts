// Contracts between ingest, the signal store and the pure analysis. Pure types only.

export interface LabelPair {
  readonly name: string;
  readonly value: string;
}

export interface RawSample {
  readonly value: number;
  readonly timestampMs: number;
}

/**
 * A decoder's handle on one series' label list, kept with its cached labels: the sink writes
 * here what it resolved the list to (a series id and its generation, or that the series feeds
 * nothing), so a series seen before costs no label work. `owner` is the sink that wrote it.
 */
export interface SeriesRef {
  owner: unknown;
  id: number;
  generation: number;
}

/** One raw series of one request, as decoded (remote_write v1/v2 or text exposition). */
export interface RawSeries {
  readonly labels: readonly LabelPair[];
  readonly samples: readonly RawSample[];
  /** present when the decoder hands out the same label list (and ref) for this series on every request */
  readonly ref?: SeriesRef;
}

/** A series a decoder hands out on every request: its frozen labels and the ref the store keeps its id in. */
export interface KnownSeries {
  readonly labels: readonly LabelPair[];
  readonly ref: SeriesRef;
  /** handed out for one request only (labels a cache could not key): not to be kept by reference */
  readonly transient?: true;
}

/**
 * Samples column-wise, in wire order: sample i is (timestamps[i], values[i]) of series[i].
 * How remote_write 1.0 decoding hands samples to the store: with an object per series and
 * per sample, allocation was most of the decode time of a request whose series are all known.
 */
export interface SampleColumns {
  readonly count: number;
  readonly series: readonly KnownSeries[];
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

export interface AppendResult {
  /** samples reduced into signals */
  accepted: number;
  /** samples older than the series' last sample, dropped */
  outOfOrder: number;
  /** samples of metrics no signal uses (still counted as written: the sender must not retry) */
  ignored: number;
  /** series without the cluster label */
  missingCluster: number;
  /**
   * samples of new series refused because ingest.maxActiveSeries is reached: the store is
   * overloaded, answer 429/503 so the sender retries (absent means 0)
   */
  rejected?: number;
  /** samples dropped by a configured bound, by reason (absent means none) */
  discarded?: Partial<Record<DiscardReason, number>>;
}

/** Bounds the store enforces per sample or series (Mimir's discarded-samples reasons). */
export type DiscardReason = 'too_far_in_future' | 'max_clusters' | 'max_histogram_buckets';

export interface AppendOptions {
  /** samples newer than this (ms) are discarded as too_far_in_future; absent: no bound (replays of files, tests) */
  readonly notAfterMs?: number;
}

/** Where ingest delivers decoded series. Implemented by the signal reducer. */
export interface SeriesSink {
  /** Cheap pre-filter so decoders can skip building labels of uninteresting series. */
  wants(metricName: string): boolean;
  /** every name wants() accepts (fixed for the sink's life): lets decoders off the main thread filter */
  wantedMetrics?(): readonly string[];
  /** `columns`: more samples, taken after `series` */
  append(series: readonly RawSeries[], options?: AppendOptions, columns?: SampleColumns): AppendResult;
}

/** Names of the default catalog (DESIGN §4). User-defined signals add more names. */
export const SIGNALS = {
  apiRequestRate: 'api_request_rate',
  apiReadRate: 'api_read_rate',
  apiWatchRate: 'api_watch_rate',
  apiMutatingRate: 'api_mutating_rate',
  apiErrorRatio: 'api_error_ratio',
  apiRejectedRate: 'api_rejected_rate',
  apiTerminationsRate: 'api_terminations_rate',
  apiLatencyP99: 'api_latency_p99_seconds',
  apiBusySeats: 'api_busy_seats',
  apiInflight: 'api_inflight',
  apiQueued: 'api_queued',
  apiCapacitySeats: 'api_capacity_seats',
  etcdLatencyP99: 'etcd_latency_p99_seconds',
  nodes: 'nodes',
  dnsRequestRate: 'dns_request_rate',
  dnsServfailRatio: 'dns_servfail_ratio',
  dnsCacheHitRatio: 'dns_cache_hit_ratio',
  dnsMissFailureRatio: 'dns_miss_failure_ratio',
  /** failing share of the forward plugin's upstream answers (the cause of a miss failure) */
  dnsUpstreamFailureRatio: 'dns_upstream_failure_ratio',
  /** failing share of the kubernetes plugin's answers / API calls (the control plane behind cluster DNS) */
  dnsKubernetesFailureRatio: 'dns_kubernetes_failure_ratio',
  dnsServedStaleRate: 'dns_served_stale_rate',
  dnsCacheEntries: 'dns_cache_entries',
  targetsUp: 'targets_up',
  targetsDown: 'targets_down',
  /** apiserver instances reporting (the default capacity is defaultCapacitySeats × this) */
  apiInstances: 'api_instances',
} as const;

export type CatalogSignal = (typeof SIGNALS)[keyof typeof SIGNALS];
export type SignalName = string;

export interface ClusterInfo {
  readonly name: string;
  /** from apiserver_storage_objects{resource="nodes"} or config; undefined when unknown */
  readonly nodes: number | undefined;
  /** from apiserver_flowcontrol_nominal_limit_seats or config (default max-inflight) */
  readonly capacitySeats: number;
  /** newest sample time (ms) seen for this cluster */
  readonly lastSampleMs: number | undefined;
  readonly signals: readonly SignalName[];
  /**
   * points before this time are final: every series of the cluster has reported past them
   * (its newest sample minus about one scrape interval). Newer points read as NaN.
   */
  readonly completeBeforeMs?: number;
}

/**
 * Read side of the signal windows. Points are aligned on stepMs (point t covers
 * [t, t+stepMs)); a missing point is NaN. Everything is in event time.
 */
export interface SignalReader {
  readonly stepMs: number;
  /** newest sample timestamp over all clusters (the ingest watermark), undefined before any data */
  watermarkMs(): number | undefined;
  clusters(): readonly ClusterInfo[];
  cluster(name: string): ClusterInfo | undefined;
  /**
   * The cluster as it was at asOfMs (newest sample at or before it, points final by then,
   * nodes and capacity from those points): what an evaluation of that step saw live, however
   * far ingestion has run ahead since. Undefined when nothing had arrived by then. Readers
   * without history leave it out and are read as current.
   */
  clusterAt?(name: string, asOfMs: number): ClusterInfo | undefined;
  /**
   * Values of one signal for steps floor(fromMs/step)*step .. toMs (inclusive), NaN where
   * missing or outside the window. Index i is time alignedFrom + i*stepMs.
   */
  values(cluster: string, signal: SignalName, fromMs: number, toMs: number): Float64Array;
}
