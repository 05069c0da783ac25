import type { LabelPair, RawSeries } from '../src/signals/signal.types.js';
import { buckets, pick, resources, verbs } from './fleet-payload.js';

// The series a cluster sends that the signal catalog keeps (all of them "wanted", as only those
// are active series): kube-apiserver and CoreDNS with their histograms, SERIES_PER_CLUSTER
// per cluster. A real cluster's apiserver exposes more (more resources, 3 replicas); these are
// the families and label shapes, scaled to a round figure per cluster.

/** `count` series of metric `name` per cluster, the i-th with labels(i) */
type Family = readonly [
  name: string,
  job: string,
  count: number,
  labels: (i: number) => LabelPair[],
];

const levels = [
  'exempt',
  'system',
  'leader-election',
  'node-high',
  'workload-high',
  'workload-low',
  'global-default',
  'catch-all',
];
const l = (name: string, value: string): LabelPair => ({ name, value });
const resourceVerb = (i: number): LabelPair[] => [
  l('resource', pick(resources, i)),
  l('verb', pick(verbs, i >> 3)),
];

const families: readonly Family[] = [
  [
    'apiserver_request_total',
    'apiserver',
    40,
    (i) => [l('code', pick(['200', '201', '429', '500'], i)), ...resourceVerb(i >> 2)],
  ],
  [
    'apiserver_request_duration_seconds_bucket',
    'apiserver',
    64,
    (i) => [l('le', pick(buckets, i)), ...resourceVerb(i >> 3)],
  ],
  ['apiserver_request_duration_seconds_sum', 'apiserver', 8, (i) => resourceVerb(i)],
  [
    'apiserver_current_inflight_requests',
    'apiserver',
    2,
    (i) => [l('request_kind', pick(['mutating', 'readOnly'], i))],
  ],
  [
    'apiserver_flowcontrol_nominal_limit_seats',
    'apiserver',
    8,
    (i) => [l('priority_level', pick(levels, i))],
  ],
  [
    'apiserver_flowcontrol_current_inqueue_requests',
    'apiserver',
    8,
    (i) => [l('priority_level', pick(levels, i))],
  ],
  ['apiserver_storage_objects', 'apiserver', 1, () => [l('resource', 'nodes')]],
  [
    'etcd_request_duration_seconds_bucket',
    'apiserver',
    8,
    (i) => [l('le', pick(buckets, i)), l('operation', 'get'), l('type', 'pods')],
  ],
  [
    'coredns_dns_requests_total',
    'coredns',
    4,
    (i) => [
      l('pod', `coredns-${i & 1}`),
      l('server', 'dns://:53'),
      l('type', pick(['A', 'AAAA'], i >> 1)),
    ],
  ],
  [
    'coredns_dns_responses_total',
    'coredns',
    4,
    (i) => [
      l('pod', `coredns-${i & 1}`),
      l('rcode', pick(['NOERROR', 'SERVFAIL'], i >> 1)),
      l('server', 'dns://:53'),
    ],
  ],
  [
    'coredns_cache_entries',
    'coredns',
    2,
    (i) => [l('pod', `coredns-${i & 1}`), l('type', 'success')],
  ],
  ['coredns_cache_served_stale_total', 'coredns', 1, () => [l('pod', 'coredns-0')]],
];

export const SERIES_PER_CLUSTER = families.reduce((n, [, , count]) => n + count, 0);

/** the label sets of one cluster's wanted series, sorted by name */
export function clusterSeriesLabels(cluster: number): LabelPair[][] {
  return families.flatMap(([name, job, count, labels]) =>
    Array.from({ length: count }, (_, i) =>
      [
        l('__name__', name),
        l('cluster', `prod-${cluster}`),
        l('instance', `10.${(cluster >> 8) % 256}.${cluster % 256}.1:443`),
        l('job', job),
        l('region', pick(['eu-west-1', 'us-east-1'], cluster)),
        ...labels(i),
      ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ),
  );
}

/** one scrape of clusters [from, to): every series once, counters growing with `scrape` */
export function clusterScrape(
  from: number,
  to: number,
  timestampMs: number,
  scrape: number,
): RawSeries[] {
  const out: RawSeries[] = [];
  for (let c = from; c < to; c++) {
    for (const [i, labels] of clusterSeriesLabels(c).entries())
      out.push({ labels, samples: [{ timestampMs, value: 100 * scrape + (i % 7) }] });
  }
  return out;
}
