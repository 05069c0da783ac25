// Real metric vocabulary of kube-apiserver (1.29+) and CoreDNS (1.11+), and the request mix
// the simulator draws from. Sources and reasoning: scenarios/README.md "Model".

/** kube-apiserver request latency buckets (k8s.io/apiserver endpoints/metrics, 1.23+). */
export const APISERVER_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60] as const;
/** etcd_request_duration_seconds buckets (1.28+ uses the same widened set). */
export const ETCD_BUCKETS = APISERVER_BUCKETS;

export type RequestKind = 'readOnly' | 'mutating' | 'watch';

export interface RequestClass {
  readonly verb: string;
  readonly resource: string;
  readonly group: string;
  readonly version: string;
  readonly scope: 'resource' | 'namespace' | 'cluster';
  readonly kind: RequestKind;
  /** arrivals per second = perNode × nodes + constant */
  readonly perNode: number;
  readonly constant: number;
  /** mean execution latency (s) = latency + latencyPerNode × nodes */
  readonly latency: number;
  readonly latencyPerNode: number;
  readonly okCode: string;
}

const rc = (
  verb: string,
  resource: string,
  group: string,
  scope: RequestClass['scope'],
  perNode: number,
  constant: number,
  latency: number,
  latencyPerNode = 0,
): RequestClass => ({
  verb,
  resource,
  group,
  version: group === '' ? 'v1' : 'v1',
  scope,
  kind: verb === 'WATCH' ? 'watch' : verb === 'GET' || verb === 'LIST' ? 'readOnly' : 'mutating',
  perNode,
  constant,
  latency,
  latencyPerNode,
  okCode: verb === 'POST' ? '201' : '200',
});

// Verbs as the apiserver labels them (POST = create, PUT = update). Per-node traffic of a steady cluster: kubelet lease renewals every 10 s, node status
// patches, pod status updates, events, controller LISTs whose cost grows with cluster size.
export const REQUEST_MIX: readonly RequestClass[] = [
  rc('PUT', 'leases', 'coordination.k8s.io', 'namespace', 0.1, 1, 0.008),
  rc('GET', 'leases', 'coordination.k8s.io', 'namespace', 0.02, 2, 0.004),
  rc('PATCH', 'nodes', '', 'resource', 0.02, 0, 0.012),
  rc('GET', 'pods', '', 'namespace', 0.1, 2, 0.005),
  rc('GET', 'configmaps', '', 'namespace', 0.04, 1, 0.004),
  rc('LIST', 'pods', '', 'cluster', 0.001, 0.5, 0.03, 0.00003),
  rc('LIST', 'configmaps', '', 'namespace', 0.002, 1, 0.01),
  rc('WATCH', 'pods', '', 'namespace', 0.005, 0.2, 0),
  rc('POST', 'events', 'events.k8s.io', 'namespace', 0.05, 2, 0.008),
  rc('PATCH', 'pods', '', 'namespace', 0.03, 1, 0.012),
  rc('DELETE', 'pods', '', 'namespace', 0.003, 0.1, 0.015),
  rc('POST', 'pods', '', 'namespace', 0.003, 0.1, 0.02),
];

/** A request class for anything outside the mix (the agent's calls, a spiking controller). */
export function extraClass(verb: string, resource: string): RequestClass {
  return rc(verb, resource, '', verb === 'LIST' ? 'cluster' : 'namespace', 0, 0, 0);
}

/** API Priority and Fairness default priority levels and their nominalConcurrencyShares. */
export const APF_PRIORITY_LEVELS: readonly { readonly name: string; readonly shares: number }[] = [
  { name: 'exempt', shares: 0 },
  { name: 'system', shares: 30 },
  { name: 'node-high', shares: 40 },
  { name: 'leader-election', shares: 10 },
  { name: 'workload-high', shares: 40 },
  { name: 'workload-low', shares: 100 },
  { name: 'global-default', shares: 20 },
  { name: 'catch-all', shares: 5 },
];

/** Nominal seats per priority level for one apiserver with `serverSeats` (max-inflight total). */
export function nominalSeats(serverSeats: number): { name: string; seats: number }[] {
  const total = APF_PRIORITY_LEVELS.reduce((s, p) => s + p.shares, 0);
  return APF_PRIORITY_LEVELS.map((p) => ({ name: p.name, seats: Math.ceil((serverSeats * p.shares) / total) }));
}

export function capacitySeats(serverSeats: number, apiservers: number): number {
  return apiservers * nominalSeats(serverSeats).reduce((s, p) => s + p.seats, 0);
}

export const ETCD_OPERATIONS = [
  { operation: 'get', type: '/registry/pods', latency: 0.003, latencyPerNode: 0 },
  { operation: 'listWithCount', type: '/registry/pods', latency: 0.02, latencyPerNode: 0.00002 },
  { operation: 'update', type: '/registry/leases', latency: 0.006, latencyPerNode: 0 },
] as const;
