import type { LabelPair } from '../src/signals/signal.types.js';
import type { ClusterFrame, ClusterModel } from './cluster-model.js';
import { APISERVER_BUCKETS, ETCD_BUCKETS, ETCD_OPERATIONS, nominalSeats } from './metric-catalog.js';
import { latencyShareBelow } from './normal-cdf.js';
import { Prng, streamSeed } from './prng.js';
import type { Incident, Scenario, TargetKind } from './scenario.types.js';
import { toLabelPairs, TargetSeries, type SampleSink } from './target-series.js';

// Turns the frames of one cluster into the series its apiserver and CoreDNS targets expose,
// scrape by scrape, including failed scrapes, restarts and renamed instances.

const LE = APISERVER_BUCKETS.map((b) => String(b));
const LOG_BOUNDS = APISERVER_BUCKETS.map((b) => Math.log(b));
const ETCD_LOG_BOUNDS = ETCD_BUCKETS.map((b) => Math.log(b));
const ETCD_LE = ETCD_BUCKETS.map((b) => String(b));
const DNS_COMMON = { server: 'dns://:53', zone: '.' };
const CACHE_COMMON = { server: 'dns://:53', zones: '.' };

interface Target {
  kind: 'apiserver' | 'coredns';
  index: number;
  generation: number;
  weight: number;
  series: TargetSeries;
  up: readonly LabelPair[];
}

export class ClusterEmitter {
  private readonly targets: Target[] = [];
  private readonly rng: Prng;
  private readonly incidents: Incident[];
  private readonly bucketScratch = new Float64Array(APISERVER_BUCKETS.length);

  constructor(
    private readonly scenario: Scenario,
    private readonly model: ClusterModel,
  ) {
    const c = model.cluster;
    this.rng = new Prng(streamSeed(scenario.seed, `emit:${c.name}`));
    this.incidents = scenario.incidents.filter((i) => i.clusters.includes(c.name));
    const weights = (count: number): number[] => {
      const raw = Array.from({ length: count }, () => 1 + 0.05 * this.rng.gaussian());
      const sum = raw.reduce((s, w) => s + w, 0);
      return raw.map((w) => w / sum);
    };
    weights(c.apiservers).forEach((weight, index) => this.targets.push(this.newTarget('apiserver', index, 0, weight)));
    weights(c.corednsInstances).forEach((weight, index) => this.targets.push(this.newTarget('coredns', index, 0, weight)));
  }

  private newTarget(kind: Target['kind'], index: number, generation: number, weight: number): Target {
    const c = this.model.cluster;
    const instance = kind === 'apiserver' ? `10.0.${generation}.${10 + index}:6443` : `10.244.${index}.${10 + generation}:9153`;
    const job = kind;
    const uptime = generation === 0 ? 2000 + Math.floor(this.rng.next() * 20000) : 0;
    const common = { cluster: c.name, instance, job };
    return { kind, index, generation, weight, series: new TargetSeries(job, instance, common, uptime), up: toLabelPairs('up', common) };
  }

  private matches(target: Target, kind: TargetKind, index?: number): boolean {
    return (kind === 'all' || kind === target.kind) && (index === undefined || index === target.index);
  }

  emit(frame: ClusterFrame, sink: SampleSink): void {
    const t = frame.atMs;
    const prev = t - this.scenario.intervalMs;
    this.targets.forEach((target, i) => {
      for (const inc of this.incidents) {
        if (inc.kind === 'instance_restart' && inc.atMs > prev && inc.atMs <= t && this.matches(target, inc.target, inc.instance)) target.series.resetCounters();
        if (inc.kind === 'instance_rename' && inc.atMs > prev && inc.atMs <= t && this.matches(target, inc.target, inc.instance)) {
          target.series.markStale(sink);
          this.targets[i] = target = this.newTarget(target.kind, target.index, target.generation + 1, target.weight);
        }
      }
      const missing = this.incidents.find((x) => x.kind === 'missing_scrapes' && t >= x.startMs && t < x.endMs && this.matches(target, x.target));
      if (missing?.kind === 'missing_scrapes' && missing.mode === 'gap') return;
      if (missing || (target.kind === 'apiserver' && frame.apiserverDown)) {
        target.series.fail(sink, target.up);
        return;
      }
      target.series.begin();
      if (target.kind === 'apiserver') this.apiserver(target, frame);
      else this.coredns(target, frame);
      target.series.emit(sink, target.up);
    });
  }

  private apiserver(target: Target, f: ClusterFrame): void {
    const s = target.series;
    const dt = this.scenario.intervalMs / 1000;
    const w = target.weight;
    const { classes, components } = this.model;
    let rejected = 0;
    let readSeats = 0;
    let mutatingSeats = 0;
    classes.forEach((cls, ci) => {
      let arrivals = 0;
      const parts: { count: number; mean: number }[] = [];
      components.forEach((comp, k) => {
        if (comp.classIndex !== ci) return;
        const a = f.arrivals[k]! * w;
        arrivals += a;
        const served = a * (1 - f.rejectRatio) * dt;
        parts.push({ count: served, mean: f.latency[k]! + f.queueWaitSeconds });
        if (cls.kind === 'readOnly') readSeats += a * f.latency[k]!;
        if (cls.kind === 'mutating') mutatingSeats += a * f.latency[k]!;
      });
      const base = { verb: cls.verb, resource: cls.resource, group: cls.group, version: cls.version, scope: cls.scope, component: 'apiserver' };
      s.counter('apiserver_request_total', () => ({ ...base, code: cls.okCode }), arrivals * (1 - f.rejectRatio) * dt);
      s.counter('apiserver_request_total', () => ({ ...base, code: '429' }), arrivals * f.rejectRatio * dt);
      rejected += arrivals * f.rejectRatio * dt;
      if (cls.kind === 'watch') return;
      this.histogram(s, 'apiserver_request_duration_seconds', base, LE, LOG_BOUNDS, parts);
    });
    const served = Math.min(1, 1 / Math.max(f.utilisation, 1e-9));
    s.gauge('apiserver_current_inflight_requests', { request_kind: 'readOnly' }, Math.round(readSeats * served));
    s.gauge('apiserver_current_inflight_requests', { request_kind: 'mutating' }, Math.round(mutatingSeats * served));
    const seats = this.model.cluster.seatsPerApiserver;
    for (const level of nominalSeats(seats)) s.gauge('apiserver_flowcontrol_nominal_limit_seats', { priority_level: level.name }, level.seats);
    const flow = { priority_level: 'workload-low', flow_schema: 'service-accounts' };
    s.counter('apiserver_flowcontrol_rejected_requests_total', () => ({ ...flow, reason: 'queue-full' }), rejected * 0.7);
    s.counter('apiserver_flowcontrol_rejected_requests_total', () => ({ ...flow, reason: 'time-out' }), rejected * 0.3);
    s.gauge('apiserver_flowcontrol_current_inqueue_requests', flow, Math.round(f.queued * w));
    const nodes = this.model.cluster.nodes;
    s.gauge('apiserver_storage_objects', { resource: 'nodes' }, nodes);
    s.gauge('apiserver_storage_objects', { resource: 'pods' }, nodes * 30);
    const rateOf = (verb: string, resource: string): number =>
      components.reduce((sum, comp, k) => {
        const cls = classes[comp.classIndex]!;
        return cls.verb === verb && cls.resource === resource ? sum + f.arrivals[k]! : sum;
      }, 0);
    const etcdRates = [rateOf('GET', 'pods') * 0.2, rateOf('LIST', 'pods') * 0.5, rateOf('PUT', 'leases')];
    ETCD_OPERATIONS.forEach((op, i) => {
      const count = etcdRates[i]! * w * (1 - f.rejectRatio) * dt;
      const mean = (op.latency + op.latencyPerNode * nodes) * f.etcdSlowdown;
      this.histogram(s, 'etcd_request_duration_seconds', { operation: op.operation, type: op.type }, ETCD_LE, ETCD_LOG_BOUNDS, [{ count, mean }]);
    });
  }

  private histogram(
    s: TargetSeries,
    name: string,
    labels: Record<string, string>,
    le: readonly string[],
    logBounds: readonly number[],
    parts: readonly { count: number; mean: number }[],
  ): void {
    let total = 0;
    let sum = 0;
    const incs = this.bucketScratch;
    incs.fill(0);
    for (const p of parts) {
      total += p.count;
      sum += p.count * p.mean;
      if (p.count === 0) continue;
      for (let b = 0; b < logBounds.length; b++) incs[b] = incs[b]! + p.count * Math.min(1, latencyShareBelow(logBounds[b]!, p.mean));
    }
    s.histogram(name, labels, le, incs, total, sum);
  }

  private coredns(target: Target, f: ClusterFrame): void {
    const s = target.series;
    const dt = this.scenario.intervalMs / 1000;
    const q = f.dnsQueriesPerSecond * target.weight * dt;
    const legacy = this.model.cluster.legacyCorednsMetrics;
    const i = f.internal;
    const e = f.external;
    const qi = q * i.share;
    const qe = q * e.share;
    const hitsI = qi * i.hitRatio;
    const hitsE = qe * e.hitRatio;
    const missI = qi - hitsI;
    const missE = qe - hitsE;
    const failI = missI * i.failRatio;
    const failE = missE * (e.failRatio + (1 - e.failRatio) * f.baselineUpstreamServfail);
    const okI = missI - failI;
    const okE = missE - failE;
    // NXDOMAIN shares: search-path expansion makes many internal lookups negative.
    const nx = { internal: 0.3, external: 0.1 };
    const hitNoerror = hitsI * (1 - nx.internal) + hitsE * (1 - nx.external);
    const hitNx = hitsI * nx.internal + hitsE * nx.external;

    s.counter('coredns_dns_requests_total', () => ({ ...DNS_COMMON, proto: 'udp', family: '1', type: 'A' }), q * 0.6);
    s.counter('coredns_dns_requests_total', () => ({ ...DNS_COMMON, proto: 'udp', family: '1', type: 'AAAA' }), q * 0.4);
    const responses: [string, string, number][] = [
      ['NOERROR', 'cache', hitNoerror],
      ['NXDOMAIN', 'cache', hitNx],
      ['NOERROR', 'kubernetes', okI * (1 - nx.internal)],
      ['NXDOMAIN', 'kubernetes', okI * nx.internal],
      ['SERVFAIL', 'kubernetes', f.corednsInternal ? 0 : failI],
      ['NOERROR', 'forward', okE * (1 - nx.external)],
      ['NXDOMAIN', 'forward', okE * nx.external],
      ['SERVFAIL', 'forward', f.corednsExternal ? 0 : failE],
      // written by the server itself (no plugin): CoreDNS failing on its own
      ['SERVFAIL', '', (f.corednsInternal ? failI : 0) + (f.corednsExternal ? failE : 0)],
    ];
    if (legacy) {
      for (const rcode of ['NOERROR', 'NXDOMAIN', 'SERVFAIL']) {
        const n = responses.filter((r) => r[0] === rcode).reduce((sum, r) => sum + r[2], 0);
        s.counter('coredns_dns_responses_total', () => ({ ...DNS_COMMON, rcode }), n);
      }
    } else {
      for (const [rcode, plugin, n] of responses) s.counter('coredns_dns_responses_total', () => ({ ...DNS_COMMON, rcode, plugin }), n);
      s.counter('coredns_cache_requests_total', CACHE_COMMON, q);
    }
    s.counter('coredns_cache_hits_total', () => ({ ...CACHE_COMMON, type: 'success' }), hitNoerror);
    s.counter('coredns_cache_hits_total', () => ({ ...CACHE_COMMON, type: 'denial' }), hitNx);
    s.counter('coredns_cache_misses_total', CACHE_COMMON, missI + missE);
    s.counter('coredns_cache_served_stale_total', CACHE_COMMON, hitsI * i.staleShare + hitsE * e.staleShare);
    const nodes = this.model.cluster.nodes;
    const left = i.share * i.entriesLeft + e.share * e.entriesLeft;
    s.gauge('coredns_cache_entries', () => ({ ...CACHE_COMMON, type: 'success' }), Math.round((50 + 2 * nodes) * left * target.weight * 2));
    s.gauge('coredns_cache_entries', () => ({ ...CACHE_COMMON, type: 'denial' }), Math.round((20 + nodes) * left * target.weight * 2));
    const upstream = { to: '169.254.169.253:53' };
    const forwarded: [string, number][] = [
      ['NOERROR', okE * (1 - nx.external)],
      ['NXDOMAIN', okE * nx.external],
      ['SERVFAIL', f.corednsExternal ? missE * f.baselineUpstreamServfail : failE],
    ];
    for (const [rcode, n] of forwarded) {
      if (legacy) s.counter('coredns_forward_responses_total', () => ({ ...upstream, rcode }), n);
      else s.counter('coredns_proxy_request_duration_seconds_count', () => ({ ...upstream, proxy_name: 'forward', rcode }), n);
    }
    // The kubernetes plugin's client-go: list/watch refreshes while healthy, failing retries once down.
    const rest = { method: 'GET', host: '10.96.0.1:443' };
    const restRate = 0.5 * dt;
    s.counter('coredns_kubernetes_rest_client_requests_total', () => ({ ...rest, code: '200' }), f.apiserverDown ? 0 : restRate * (1 - f.rejectRatio));
    s.counter('coredns_kubernetes_rest_client_requests_total', () => ({ ...rest, code: '429' }), f.apiserverDown ? 0 : restRate * f.rejectRatio);
    s.counter('coredns_kubernetes_rest_client_requests_total', () => ({ ...rest, code: '<error>' }), f.apiserverDown ? 4 * restRate : 0);
  }
}
