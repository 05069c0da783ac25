import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const QUERY_OUTCOMES = ['ok', 'retried', 'failed'] as const;
export type QueryOutcome = (typeof QUERY_OUTCOMES)[number];

// Pull mode's own series: a failing or slow store must show here, not as a quiet fleet.
export class PullMetrics {
  readonly queries: Counter<'outcome'>;
  readonly querySeconds: Histogram;
  readonly warnings: Counter;
  readonly batches: Counter<'outcome'>;
  readonly pulledThrough: Gauge;

  constructor(registry: Registry) {
    this.queries = new Counter({
      name: 'wavewatch_pull_queries_total',
      help: 'Range queries to the Prometheus-compatible store: ok, retried (one per retry), failed (after the last attempt).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const outcome of QUERY_OUTCOMES) this.queries.inc({ outcome }, 0);
    this.querySeconds = new Histogram({
      name: 'wavewatch_pull_query_seconds',
      help: 'Time of one range query attempt.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.warnings = new Counter({ name: 'wavewatch_pull_warnings_total', help: 'Warnings the store attached to query answers.', registers: [registry] });
    this.batches = new Counter({
      name: 'wavewatch_pull_batches_total',
      help: 'Step batches pulled: ok, or failed (no point of the batch kept; its clusters age towards telemetry loss).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const outcome of ['ok', 'failed']) this.batches.inc({ outcome }, 0);
    this.pulledThrough = new Gauge({
      name: 'wavewatch_pull_through_timestamp_seconds',
      help: 'End of the newest step pulled from the store.',
      registers: [registry],
    });
  }
}
