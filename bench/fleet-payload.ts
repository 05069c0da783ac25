import type { LabelPair, RawSeries } from '../src/signals/signal.types.js';

// A remote_write payload shaped like a real fleet's: one sample per series, ~10 labels, and
// a minority of series the signal catalog wants (kube-apiserver, CoreDNS) among node_exporter,
// kubelet and cAdvisor container series it does not.

interface Family {
  readonly name: string;
  readonly wanted: boolean;
  readonly job: string;
  readonly labels: (i: number) => LabelPair[];
}

export const verbs = ['GET', 'LIST', 'WATCH', 'POST', 'PATCH', 'PUT', 'DELETE'];
export const resources = ['pods', 'nodes', 'configmaps', 'secrets', 'endpoints', 'leases', 'events', 'services'];
export const buckets = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
export const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

const families: readonly Family[] = [
  { name: 'apiserver_request_total', wanted: true, job: 'apiserver', labels: (i) => [l('code', pick(['200', '201', '429', '500'], i)), l('resource', pick(resources, i >> 2)), l('verb', pick(verbs, i >> 5))] },
  { name: 'apiserver_request_duration_seconds_bucket', wanted: true, job: 'apiserver', labels: (i) => [l('le', pick(buckets, i)), l('resource', pick(resources, i >> 3)), l('verb', pick(verbs, i >> 6))] },
  { name: 'coredns_dns_responses_total', wanted: true, job: 'coredns', labels: (i) => [l('plugin', pick(['cache', 'forward', 'kubernetes'], i)), l('rcode', pick(['NOERROR', 'NXDOMAIN', 'SERVFAIL'], i >> 2)), l('server', 'dns://:53')] },
  { name: 'coredns_cache_hits_total', wanted: true, job: 'coredns', labels: (i) => [l('server', 'dns://:53'), l('type', pick(['success', 'denial'], i)), l('zones', '.')] },
  { name: 'node_cpu_seconds_total', wanted: false, job: 'node-exporter', labels: (i) => [l('cpu', String(i % 32)), l('mode', pick(['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal'], i >> 5)), l('node', `node-${i % 50}`)] },
  { name: 'node_network_receive_bytes_total', wanted: false, job: 'node-exporter', labels: (i) => [l('device', pick(['eth0', 'eth1', 'lo', 'cni0'], i)), l('node', `node-${i % 50}`), l('pod', '')] },
  { name: 'kubelet_runtime_operations_duration_seconds_bucket', wanted: false, job: 'kubelet', labels: (i) => [l('le', pick(buckets, i)), l('node', `node-${i % 50}`), l('operation_type', pick(['create_container', 'exec', 'list_containers', 'status'], i >> 3))] },
  { name: 'container_cpu_usage_seconds_total', wanted: false, job: 'cadvisor', labels: (i) => [l('container', `app-${i % 40}`), l('namespace', `team-${i % 12}`), l('pod', `app-${i % 40}-7d9f8c6b5-${(i * 7919).toString(36).slice(-5)}`)] },
  { name: 'container_memory_working_set_bytes', wanted: false, job: 'cadvisor', labels: (i) => [l('container', `app-${i % 40}`), l('namespace', `team-${i % 12}`), l('pod', `app-${i % 40}-7d9f8c6b5-${(i * 104729).toString(36).slice(-5)}`)] },
  { name: 'container_network_transmit_bytes_total', wanted: false, job: 'cadvisor', labels: (i) => [l('interface', 'eth0'), l('namespace', `team-${i % 12}`), l('pod', `app-${i % 40}-7d9f8c6b5-${(i * 15485863).toString(36).slice(-5)}`)] },
];

// Series per family in every 40-series slice: 10 of 40 (25 %) are wanted.
const weights = [4, 3, 2, 1, 6, 3, 5, 7, 6, 3];

function l(name: string, value: string): LabelPair {
  return { name, value };
}

export const PAYLOAD_MIX = families
  .map((f, i) => `${f.name} ${((weights[i]! / 40) * 100).toFixed(1)}%${f.wanted ? ' (wanted)' : ''}`)
  .join(', ');
export const WANTED_SHARE = families.reduce((n, f, i) => n + (f.wanted ? weights[i]! : 0), 0) / 40;

/** The label sets of `count` distinct series spread over `clusters` clusters, labels sorted by name. */
export function fleetSeriesLabels(count: number, clusters: number): LabelPair[][] {
  const slots = families.flatMap((f, i) => Array.from({ length: weights[i]! }, () => f));
  const seen = new Map<Family, number>();
  return Array.from({ length: count }, (_, i) => {
    const family = slots[i % slots.length]!;
    const k = seen.get(family) ?? 0; // the k-th series of its family: distinct labels
    seen.set(family, k + 1);
    const c = k % clusters;
    const labels = [
      l('__name__', family.name),
      l('cluster', `prod-${c}`),
      l('instance', `10.${c}.${(k >> 8) % 256}.${k % 256}:9100`),
      l('job', family.job),
      l('prometheus', 'monitoring/k8s'),
      l('region', pick(['eu-west-1', 'us-east-1', 'ap-south-1'], c)),
      ...family.labels(k),
    ].filter((x) => x.value !== '');
    return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  });
}

/** One request: the given series with one sample each at timestampMs. */
export function fleetRequest(labels: readonly LabelPair[][], timestampMs: number, valueSeed: number): RawSeries[] {
  return labels.map((ls, i) => ({ labels: ls, samples: [{ value: valueSeed * 10 + (i % 97), timestampMs }] }));
}
