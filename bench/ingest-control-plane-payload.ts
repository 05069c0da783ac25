import type { LabelPair } from '../src/signals/signal.types.js';

// The series a user sends after relabelling remote_write down to kube-apiserver and CoreDNS
// (keep `job=~"apiserver|coredns"`): every series of those two jobs, shaped like their real
// /metrics. Per cluster: three apiserver instances with apiserver_request_total by
// verb/resource/code, apiserver_request_duration_seconds histograms with Kubernetes' own `le`
// set (the largest share, as in a real scrape), inflight, APF queue and seat gauges and object
// counts; two CoreDNS pods with requests, responses, cache and request-duration histograms.
// Some of these feed no signal (WATCH latency buckets, _count, CoreDNS latency buckets): a
// relabel by job keeps them, so the receiver must pass over them as it would in production.
// Series come in scrape order, target after target, as one remote_write shard sends them.

const l = (name: string, value: string): LabelPair => ({ name, value });

/** kube-apiserver's apiserver_request_duration_seconds buckets (Kubernetes ≥ 1.23) */
export const APISERVER_LE = ['0.005', '0.025', '0.05', '0.1', '0.2', '0.4', '0.6', '0.8', '1', '1.25', '1.5', '2', '3', '4', '5', '6', '8', '10', '15', '20', '30', '45', '60', '+Inf'];
/** CoreDNS' coredns_dns_request_duration_seconds buckets */
export const COREDNS_LE = ['0.00025', '0.0005', '0.001', '0.002', '0.004', '0.008', '0.016', '0.032', '0.064', '0.128', '0.256', '0.512', '1.024', '2.048', '4.096', '8.192', '+Inf'];

interface Resource {
  readonly resource: string;
  readonly group: string;
  readonly version: string;
  readonly scope: 'cluster' | 'namespace';
  readonly verbs: readonly string[];
}

const READ = ['GET', 'LIST', 'WATCH'];
const WRITE = ['POST', 'PATCH', 'PUT', 'DELETE'];
const resources: readonly Resource[] = [
  { resource: 'pods', group: '', version: 'v1', scope: 'namespace', verbs: [...READ, ...WRITE] },
  { resource: 'nodes', group: '', version: 'v1', scope: 'cluster', verbs: [...READ, 'PATCH', 'PUT'] },
  { resource: 'configmaps', group: '', version: 'v1', scope: 'namespace', verbs: [...READ, 'POST', 'PUT'] },
  { resource: 'secrets', group: '', version: 'v1', scope: 'namespace', verbs: [...READ, 'POST'] },
  { resource: 'endpoints', group: '', version: 'v1', scope: 'namespace', verbs: [...READ, 'PUT'] },
  { resource: 'events', group: '', version: 'v1', scope: 'namespace', verbs: ['LIST', 'POST', 'PATCH'] },
  { resource: 'leases', group: 'coordination.k8s.io', version: 'v1', scope: 'namespace', verbs: ['GET', 'PUT'] },
  { resource: 'deployments', group: 'apps', version: 'v1', scope: 'namespace', verbs: [...READ, 'PATCH'] },
  { resource: 'replicasets', group: 'apps', version: 'v1', scope: 'namespace', verbs: [...READ, 'POST', 'PUT'] },
  { resource: 'endpointslices', group: 'discovery.k8s.io', version: 'v1', scope: 'namespace', verbs: [...READ, 'PUT'] },
];

function codesOf(verb: string, k: number): string[] {
  if (verb === 'GET') return k % 3 === 0 ? ['200', '404'] : ['200'];
  if (verb === 'POST') return ['201', '409'];
  if (verb === 'PUT' || verb === 'PATCH') return k % 2 === 0 ? ['200', '409'] : ['200'];
  if (verb === 'LIST') return k % 4 === 0 ? ['200', '429'] : ['200'];
  return ['200'];
}

const sorted = (labels: LabelPair[]): LabelPair[] =>
  labels.filter((x) => x.value !== '').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function apiserver(cluster: string, region: string, instance: string): LabelPair[][] {
  const target = [l('cluster', cluster), l('endpoint', 'https'), l('instance', instance), l('job', 'apiserver'), l('namespace', 'default'), l('prometheus', 'monitoring/k8s'), l('region', region), l('service', 'kubernetes')];
  const out: LabelPair[][] = [];
  const add = (name: string, ...labels: LabelPair[]): void => void out.push(sorted([l('__name__', name), ...target, ...labels]));
  resources.forEach((r, k) => {
    const common = [l('component', 'apiserver'), l('group', r.group), l('resource', r.resource), l('scope', r.scope), l('version', r.version)];
    for (const verb of r.verbs) for (const code of codesOf(verb, k)) add('apiserver_request_total', ...common, l('code', code), l('verb', verb));
  });
  resources.forEach((r) => {
    const common = [l('component', 'apiserver'), l('group', r.group), l('resource', r.resource), l('scope', r.scope), l('version', r.version)];
    for (const verb of r.verbs) {
      for (const le of APISERVER_LE) add('apiserver_request_duration_seconds_bucket', ...common, l('le', le), l('verb', verb));
      add('apiserver_request_duration_seconds_sum', ...common, l('verb', verb));
      add('apiserver_request_duration_seconds_count', ...common, l('verb', verb));
    }
  });
  for (const kind of ['mutating', 'readOnly']) add('apiserver_current_inflight_requests', l('request_kind', kind));
  const levels = ['exempt', 'global-default', 'leader-election', 'node-high', 'system', 'workload-high', 'workload-low', 'catch-all'];
  for (const level of levels) {
    add('apiserver_flowcontrol_nominal_limit_seats', l('priority_level', level));
    add('apiserver_flowcontrol_current_inqueue_requests', l('flow_schema', level), l('priority_level', level));
    add('apiserver_flowcontrol_rejected_requests_total', l('flow_schema', level), l('priority_level', level), l('reason', 'queue-full'));
  }
  for (const r of resources) add('apiserver_storage_objects', l('resource', r.group === '' ? r.resource : `${r.resource}.${r.group}`));
  add('apiserver_request_terminations_total', l('code', '504'), l('component', 'apiserver'), l('resource', 'pods'), l('verb', 'LIST'));
  return out;
}

function coredns(cluster: string, region: string, pod: string, ip: string): LabelPair[][] {
  const target = [l('cluster', cluster), l('endpoint', 'metrics'), l('instance', `${ip}:9153`), l('job', 'coredns'), l('namespace', 'kube-system'), l('pod', pod), l('prometheus', 'monitoring/k8s'), l('region', region), l('service', 'kube-dns')];
  const out: LabelPair[][] = [];
  const add = (name: string, ...labels: LabelPair[]): void => void out.push(sorted([l('__name__', name), ...target, ...labels]));
  const server = l('server', 'dns://:53');
  for (const proto of ['udp', 'tcp']) for (const type of ['A', 'AAAA', 'SRV', 'other']) add('coredns_dns_requests_total', l('family', '1'), l('proto', proto), server, l('type', type), l('zone', '.'));
  for (const plugin of ['cache', 'forward', 'kubernetes']) for (const rcode of ['NOERROR', 'NXDOMAIN', 'SERVFAIL']) add('coredns_dns_responses_total', l('plugin', plugin), l('rcode', rcode), server, l('zone', '.'));
  for (const type of ['success', 'denial']) {
    add('coredns_cache_entries', server, l('type', type), l('zones', '.'));
    add('coredns_cache_hits_total', server, l('type', type), l('zones', '.'));
  }
  add('coredns_cache_misses_total', server, l('zones', '.'));
  add('coredns_cache_served_stale_total', server, l('zones', '.'));
  for (const type of ['A', 'AAAA', 'SRV', 'other']) {
    for (const le of COREDNS_LE) add('coredns_dns_request_duration_seconds_bucket', l('le', le), server, l('type', type), l('zone', '.'));
    add('coredns_dns_request_duration_seconds_sum', server, l('type', type), l('zone', '.'));
    add('coredns_dns_request_duration_seconds_count', server, l('type', type), l('zone', '.'));
  }
  return out;
}

/** every series of one scrape of `clusters` clusters (3 apiservers, 2 CoreDNS pods each), in scrape order */
export function controlPlaneSeriesLabels(clusters: number): LabelPair[][] {
  const out: LabelPair[][] = [];
  const regions = ['eu-west-1', 'us-east-1', 'ap-south-1'];
  for (let c = 0; c < clusters; c++) {
    const cluster = `cp-${c}`;
    const region = regions[c % regions.length]!;
    for (let a = 0; a < 3; a++) out.push(...apiserver(cluster, region, `10.${c}.0.${10 + a}:6443`));
    for (let d = 0; d < 2; d++) out.push(...coredns(cluster, region, `coredns-5d78c9869d-${c}x${d}`, `10.${c}.1.${20 + d}`));
  }
  return out;
}

export const CONTROL_PLANE_MIX =
  'kube-apiserver (request_total by verb/resource/code, request_duration_seconds with its 24 le, inflight, APF, objects) and CoreDNS (requests, responses, cache, request_duration_seconds)';
