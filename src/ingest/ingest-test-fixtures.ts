import type { AppendOptions, AppendResult, RawSample, RawSeries, SampleColumns, SeriesSink } from '../signals/signal.types.js';
import type { DecodedWrite } from './decoded-write.js';
import type { IngestLimits } from './ingest-limits.js';

// Shared by the ingest specs: a realistic small request and a sink that records what it got.

export const STALE_NAN_BITS = 0x7ff0000000000002n;

export function staleMarker(): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, STALE_NAN_BITS);
  return view.getFloat64(0);
}

export function bitsOf(value: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0);
}

export const defaultLimits: IngestLimits = {
  maxSeriesPerRequest: 1000,
  maxLabelsPerSeries: 16,
  maxLabelNameBytes: 64,
  maxLabelValueBytes: 128,
  maxLineBytes: 4096,
};

export const sampleSeries = (): RawSeries[] => [
  {
    labels: [
      { name: '__name__', value: 'apiserver_request_total' },
      { name: 'cluster', value: 'prod-a' },
      { name: 'code', value: '200' },
      { name: 'verb', value: 'LIST' },
    ],
    samples: [
      { value: 10, timestampMs: 1_733_957_460_000 },
      { value: 2, timestampMs: 1_733_957_475_000 }, // a counter reset passes through as is
      { value: staleMarker(), timestampMs: 1_733_957_490_000 },
    ],
  },
  {
    labels: [
      { name: '__name__', value: 'node_cpu_seconds_total' },
      { name: 'cluster', value: 'prod-a' },
      { name: 'cpu', value: '0' },
    ],
    samples: [{ value: 1.5, timestampMs: 1_733_957_460_000 }],
  },
  {
    labels: [
      { name: '__name__', value: 'coredns_dns_responses_total' },
      { name: 'cluster', value: 'préprod-ü' },
      { name: 'rcode', value: 'SERVFAIL' },
    ],
    samples: [{ value: Infinity, timestampMs: -1000 }],
  },
];

export const wantsCatalog = (name: string): boolean => name.startsWith('apiserver_') || name.startsWith('coredns_');

export class RecordingSink implements SeriesSink {
  readonly appended: RawSeries[] = [];
  outOfOrderPerCall = 0;

  wants(metricName: string): boolean {
    return wantsCatalog(metricName);
  }

  append(given: readonly RawSeries[], _options?: AppendOptions, columns?: SampleColumns): AppendResult {
    const series = [...given, ...columnSeries(columns)];
    this.appended.push(...series);
    const samples = series.reduce((n, s) => n + s.samples.length, 0);
    return { accepted: samples - this.outOfOrderPerCall, outOfOrder: this.outOfOrderPerCall, ignored: 0, missingCluster: 0 };
  }
}

/** the columns' samples as series, a run of one series' samples as one (tests compare these) */
export function columnSeries(columns: SampleColumns | undefined): RawSeries[] {
  const out: RawSeries[] = [];
  if (columns === undefined) return out;
  for (let i = 0; i < columns.count; ) {
    const s = columns.series[i]!;
    const samples: RawSample[] = [];
    for (; i < columns.count && columns.series[i] === s; i++) samples.push({ value: columns.values[i]!, timestampMs: columns.timestamps[i]! });
    out.push({ labels: s.labels, samples, ref: s.ref });
  }
  return out;
}

/** every wanted series of a decoded request, as the store takes them: `series`, then the columns' */
export const decodedSeries = (decoded: DecodedWrite): RawSeries[] => [...decoded.series, ...columnSeries(decoded.columns)];
