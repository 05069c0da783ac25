import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const INGEST_PROTOCOLS = ['remote_write_v1', 'remote_write_v2', 'text', 'unknown'] as const;
export type IngestProtocol = (typeof INGEST_PROTOCOLS)[number];
const CODES = ['204', '400', '413', '415', '429', '503'];
const OUTCOMES = ['accepted', 'out_of_order', 'ignored', 'missing_cluster', 'discarded'] as const;
export const REJECTION_REASONS = ['malformed', 'limit', 'too_large', 'unsupported_media_type', 'overloaded', 'unavailable', 'timeout'] as const;
/** why samples of an accepted request were dropped (the breakdown of outcome="discarded") */
export const DISCARD_REASONS = [
  'too_far_in_future',
  'max_clusters',
  'max_histogram_buckets',
  'max_labels_per_series',
  'label_name_too_long',
  'label_value_too_long',
  'line_too_long',
] as const;
export type IngestDiscardReason = (typeof DISCARD_REASONS)[number];
export type RejectionReason = (typeof REJECTION_REASONS)[number];

// Ingest's own series on the injected registry, all initialised at zero.
export class IngestMetrics {
  readonly requests: Counter<'protocol' | 'code'>;
  readonly samples: Counter<'outcome'>;
  readonly rejections: Counter<'reason'>;
  readonly discarded: Counter<'reason'>;
  readonly decodeSeconds: Histogram;
  readonly inflight: Gauge;
  readonly labelCacheResets: Counter;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'wavewatch_ingest_requests_total',
      help: 'Ingest requests by protocol and HTTP status code.',
      labelNames: ['protocol', 'code'],
      registers: [registry],
    });
    this.samples = new Counter({
      name: 'wavewatch_ingest_samples_total',
      help: 'Float samples received, by what became of them.',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.rejections = new Counter({
      name: 'wavewatch_ingest_rejections_total',
      help: 'Ingest requests rejected, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.discarded = new Counter({
      name: 'wavewatch_ingest_discarded_samples_total',
      help: 'Samples dropped by a configured bound while the rest of their request was kept, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.decodeSeconds = new Histogram({
      name: 'wavewatch_ingest_decode_seconds',
      help: 'Time to decompress, decode and append one request.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.inflight = new Gauge({
      name: 'wavewatch_ingest_inflight_requests',
      help: 'Ingest requests being read or decoded.',
      registers: [registry],
    });
    this.labelCacheResets = new Counter({
      name: 'wavewatch_ingest_label_cache_resets_total',
      help: 'Times a remote_write label cache was full (ingest.maxActiveSeries series or ingest.labelCacheMaxBytes) and started over; each costs every series a label rebuild. Rising: raise ingest.labelCacheMaxBytes.',
      registers: [registry],
    });
    for (const protocol of INGEST_PROTOCOLS) for (const code of CODES) this.requests.inc({ protocol, code }, 0);
    for (const outcome of OUTCOMES) this.samples.inc({ outcome }, 0);
    for (const reason of REJECTION_REASONS) this.rejections.inc({ reason }, 0);
    for (const reason of DISCARD_REASONS) this.discarded.inc({ reason }, 0);
  }
}
