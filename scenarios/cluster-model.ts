import { queueWaitSeconds, queuedRequests, rejectRatio } from './apiserver-queueing.js';
import { missFailureRatio, remainingEntries, staleShare } from './dns-cache.js';
import { capacitySeats, extraClass, REQUEST_MIX, type RequestClass } from './metric-catalog.js';
import { Prng, streamSeed } from './prng.js';
import type { ClusterSpec, Incident, Scenario } from './scenario.types.js';

// The physical state of one cluster, advanced one scrape interval at a time. Everything
// the series show and the ground truth reports comes from these frames.

export interface DnsClassFrame {
  /** share of all queries */
  readonly share: number;
  readonly hitRatio: number;
  /** share of cache misses answered SERVFAIL because the backend fails */
  readonly failRatio: number;
  /** share of hits served past their TTL */
  readonly staleShare: number;
  /** share of cache entries left */
  readonly entriesLeft: number;
}

export interface ClusterFrame {
  readonly atMs: number;
  readonly capacitySeats: number;
  /** arrivals/s and mean execution latency (s) per load component (see ClusterModel.components) */
  readonly arrivals: Float64Array;
  readonly latency: Float64Array;
  readonly demandSeats: number;
  readonly utilisation: number;
  readonly rejectRatio: number;
  readonly queueWaitSeconds: number;
  readonly queued: number;
  /** etcd latency multiplier under load */
  readonly etcdSlowdown: number;
  readonly apiserverDown: boolean;
  /** coverage of the first rollout's agent */
  readonly agentCoverage: number;
  /** per rollout of the scenario: coverage of its agent and the seats it demands now */
  readonly agentCoverages: readonly number[];
  readonly agentDemandSeats: Float64Array;
  readonly dnsQueriesPerSecond: number;
  readonly internal: DnsClassFrame;
  readonly external: DnsClassFrame;
  /** upstream errors of a healthy fleet, on forwarded misses */
  readonly baselineUpstreamServfail: number;
  readonly visibleServfailRatio: number;
  /** a failure (not baseline noise) makes misses fail */
  readonly missFailureActive: boolean;
  /** the failing misses of a class are CoreDNS's own (SERVFAIL written by the server, no plugin) */
  readonly corednsInternal: boolean;
  readonly corednsExternal: boolean;
  readonly loadFactor: number;
}

export interface LoadComponent {
  readonly source: 'mix' | 'agent' | 'spike';
  /** index into ClusterModel.classes */
  readonly classIndex: number;
  /** index into scenario.rollouts of an agent component */
  readonly rollout?: number;
}

/** when (and how fast) one rollout's agent reaches this cluster */
interface AgentArrival {
  readonly startMs: number;
  readonly spreadMs: number;
}

const QUEUE_LIMIT_PER_SERVER = 2000;
const BASELINE_UPSTREAM_SERVFAIL = 0.0005;
const NO_DNS_FAILURE: Omit<DnsClassFrame, 'share' | 'hitRatio'> = { failRatio: 0, staleShare: 0, entriesLeft: 1 };

export class ClusterModel {
  readonly classes: RequestClass[] = [...REQUEST_MIX];
  readonly components: LoadComponent[];
  readonly capacitySeats: number;
  private readonly rng: Prng;
  private readonly incidents: Incident[];
  /** per rollout of the scenario: its first wave listing this cluster, or null */
  private readonly arrivals: readonly (AgentArrival | null)[];
  private overloadSinceMs: number | null = null;
  collapsedAtMs: number | null = null;
  /** state of the spike's correlated noise */
  private spikeState = 0;

  constructor(
    private readonly scenario: Scenario,
    readonly cluster: ClusterSpec,
  ) {
    this.rng = new Prng(streamSeed(scenario.seed, `model:${cluster.name}`));
    this.capacitySeats = capacitySeats(cluster.seatsPerApiserver, cluster.apiservers);
    this.incidents = scenario.incidents.filter((i) => i.clusters.includes(cluster.name));
    this.components = REQUEST_MIX.map((_, classIndex) => ({ source: 'mix' as const, classIndex }));
    this.arrivals = scenario.rollouts.map((r) => {
      const wave = r.waves.find((w) => w.clusters.includes(cluster.name));
      return wave ? { startMs: wave.startMs, spreadMs: wave.spreadMs } : null;
    });
    scenario.rollouts.forEach((r, rollout) => this.components.push({ source: 'agent', classIndex: this.classFor(r.agent.verb, r.agent.resource), rollout }));
    if (this.incidents.some((i) => i.kind === 'load_spike')) this.components.push({ source: 'spike', classIndex: this.classFor('LIST', 'secrets') });
  }

  private classFor(verb: string, resource: string): number {
    const found = this.classes.findIndex((c) => c.verb === verb && c.resource === resource);
    if (found >= 0) return found;
    this.classes.push(extraClass(verb, resource));
    return this.classes.length - 1;
  }

  private diurnal(atMs: number): number {
    const m = this.scenario.model;
    const hour = (atMs / 3_600_000) % 24;
    return 1 + m.diurnalAmplitude * Math.cos((2 * Math.PI * (hour - m.diurnalPeakHour)) / 24);
  }

  private rampFactor(atMs: number): number {
    let f = 1;
    for (const i of this.incidents) {
      if (i.kind !== 'traffic_ramp' || atMs < i.startMs) continue;
      const progress = i.rampMs === 0 ? 1 : Math.min(1, (atMs - i.startMs) / i.rampMs);
      f *= 1 + (i.factor - 1) * progress;
    }
    return f;
  }

  /** share of nodes running rollout `rollout`'s agent (0 → 1 over its wave's spread) */
  agentCoverage(atMs: number, rollout = 0): number {
    const a = this.arrivals[rollout];
    if (!a || atMs < a.startMs) return 0;
    return a.spreadMs === 0 ? 1 : Math.min(1, (atMs - a.startMs) / a.spreadMs);
  }

  /** Busy seats the agent adds once on every node: calls/s × seconds per call (∝ nodes²). */
  agentSeats(coverage: number, rollout = 0): { arrivals: number; latency: number } {
    const agent = this.scenario.rollouts[rollout]?.agent;
    if (!agent) return { arrivals: 0, latency: 0 };
    const n = this.cluster.nodes;
    return { arrivals: coverage * n * agent.callsPerNodePerSecond, latency: agent.secondsPerCall + agent.secondsPerCallPerNode * n };
  }

  /**
   * Demanded seats without noise: what a careful capacity planner would predict, with each
   * rollout's agent at the given coverage (missing entries: 0).
   */
  expectedDemand(atMs: number, coverages: readonly number[]): number {
    const n = this.cluster.nodes;
    const load = this.diurnal(atMs) * this.rampFactor(atMs);
    let demand = 0;
    for (const cls of REQUEST_MIX) if (cls.kind !== 'watch') demand += (cls.perNode * n + cls.constant) * load * (cls.latency + cls.latencyPerNode * n);
    coverages.forEach((coverage, rollout) => {
      const agent = this.agentSeats(coverage, rollout);
      demand += agent.arrivals * agent.latency;
    });
    return demand;
  }

  step(atMs: number): ClusterFrame {
    const n = this.cluster.nodes;
    const m = this.scenario.model;
    const loadFactor = this.diurnal(atMs) * this.rampFactor(atMs) * this.rng.jitter(m.noise);
    const arrivals = new Float64Array(this.components.length);
    const latency = new Float64Array(this.components.length);
    let demand = 0;
    const coverages = this.scenario.rollouts.map((_, r) => this.agentCoverage(atMs, r));
    const agentDemand = new Float64Array(coverages.length);
    this.components.forEach((c, i) => {
      const cls = this.classes[c.classIndex]!;
      if (c.source === 'mix') {
        arrivals[i] = (cls.perNode * n + cls.constant) * loadFactor * this.rng.jitter(m.noise / 2);
        latency[i] = cls.latency + cls.latencyPerNode * n;
      } else if (c.source === 'agent') {
        const a = this.agentSeats(coverages[c.rollout!]!, c.rollout);
        arrivals[i] = a.arrivals * this.rng.jitter(m.noise / 2);
        latency[i] = a.latency;
        agentDemand[c.rollout!] = arrivals[i] * latency[i];
      } else {
        latency[i] = 0.5;
        const spike = this.spikeUtilisation(atMs);
        // noise drawn only while a noisy spike runs: flat spikes keep their scenarios' bytes
        arrivals[i] = ((spike.utilisation * this.capacitySeats) / latency[i]) * (spike.noise > 0 ? this.spikeNoise(spike.noise, spike.noiseTimeMs) : 1);
      }
      if (cls.kind !== 'watch') demand += arrivals[i] * latency[i];
    });

    const utilisation = demand / this.capacitySeats;
    if (this.collapsedAtMs === null) {
      if (utilisation > 1) {
        this.overloadSinceMs ??= atMs;
        if (atMs - this.overloadSinceMs + this.scenario.intervalMs > m.collapseAfterMs) this.collapsedAtMs = atMs;
      } else this.overloadSinceMs = null;
    }
    const down = this.collapsedAtMs !== null;
    const totalArrivals = arrivals.reduce((s, a) => s + a, 0);

    const dnsQueries = (20 + 15 * n) * loadFactor;
    const hitNoise = this.rng.jitter(m.noise / 10);
    const h0 = Math.min(0.9999, this.cluster.cacheHitRatio * hitNoise);
    const own = this.corednsFailure(atMs);
    const internalBackend = this.internalFailure(atMs);
    const upstreamBackend = this.upstreamFailure(atMs);
    const internal = this.dnsClass(m.internalDnsShare, h0, internalBackend ?? own);
    const external = this.dnsClass(1 - m.internalDnsShare, h0, upstreamBackend ?? own);
    const visible =
      internal.share * (1 - internal.hitRatio) * internal.failRatio +
      external.share * (1 - external.hitRatio) * (external.failRatio + (1 - external.failRatio) * BASELINE_UPSTREAM_SERVFAIL);
    return {
      atMs,
      capacitySeats: this.capacitySeats,
      arrivals,
      latency,
      demandSeats: demand,
      utilisation,
      rejectRatio: rejectRatio(utilisation),
      queueWaitSeconds: queueWaitSeconds(utilisation),
      queued: queuedRequests(totalArrivals, utilisation, QUEUE_LIMIT_PER_SERVER * this.cluster.apiservers),
      etcdSlowdown: 1 + 3 * Math.max(0, Math.min(utilisation, 1.5) - 0.7),
      apiserverDown: down,
      agentCoverage: coverages[0] ?? 0,
      agentCoverages: coverages,
      agentDemandSeats: agentDemand,
      dnsQueriesPerSecond: dnsQueries,
      internal,
      external,
      baselineUpstreamServfail: BASELINE_UPSTREAM_SERVFAIL,
      visibleServfailRatio: visible,
      missFailureActive: internal.failRatio > 0 || external.failRatio > 0,
      corednsInternal: internalBackend === null && own !== null,
      corednsExternal: upstreamBackend === null && own !== null,
      loadFactor,
    };
  }

  private spikeUtilisation(atMs: number): { utilisation: number; noise: number; noiseTimeMs: number } {
    let utilisation = 0;
    let noise = 0;
    let noiseTimeMs = 0;
    for (const i of this.incidents) {
      if (i.kind !== 'load_spike' || atMs < i.startMs || atMs >= i.endMs) continue;
      utilisation += i.extraUtilisation;
      noise = Math.max(noise, i.noise);
      noiseTimeMs = Math.max(noiseTimeMs, i.noiseTimeMs);
    }
    return { utilisation, noise, noiseTimeMs };
  }

  /** multiplicative noise of a spike: AR(1) with the given correlation time (independent when 0) */
  private spikeNoise(sigma: number, correlationMs: number): number {
    if (correlationMs <= 0) return this.rng.jitter(sigma);
    const a = Math.exp(-this.scenario.intervalMs / correlationMs);
    this.spikeState = a * this.spikeState + Math.sqrt(1 - a * a) * this.rng.gaussian();
    return Math.max(0, 1 + sigma * this.spikeState);
  }

  /** seconds since the kubernetes plugin's misses started failing, or null */
  private internalFailure(atMs: number): { ageS: number; max: number } | null {
    if (this.collapsedAtMs === null) return null;
    const since = this.collapsedAtMs + this.scenario.model.dnsFailureDelayMs;
    return atMs < since ? null : { ageS: (atMs - since) / 1000, max: 1 };
  }

  /** CoreDNS itself failing misses (no backend at fault) */
  private corednsFailure(atMs: number): { ageS: number; max: number } | null {
    for (const i of this.incidents) {
      if (i.kind === 'coredns_failure' && atMs >= i.startMs && atMs < i.endMs) return { ageS: (atMs - i.startMs) / 1000, max: i.failRatio };
    }
    return null;
  }

  private upstreamFailure(atMs: number): { ageS: number; max: number } | null {
    for (const i of this.incidents) {
      if (i.kind === 'upstream_dns_outage' && atMs >= i.startMs && atMs < i.endMs) return { ageS: (atMs - i.startMs) / 1000, max: i.failRatio };
    }
    return null;
  }

  private dnsClass(share: number, h0: number, failure: { ageS: number; max: number } | null): DnsClassFrame {
    if (failure === null) return { share, hitRatio: h0, ...NO_DNS_FAILURE };
    const m = this.scenario.model;
    const left = remainingEntries(failure.ageS, this.cluster.cacheLifetimeSeconds, m.cacheAgingExponent);
    return {
      share,
      hitRatio: h0 * left,
      failRatio: missFailureRatio(failure.ageS, this.scenario.intervalMs / 1000, m.missFailureRampMs / 1000, failure.max),
      staleShare: staleShare(failure.ageS),
      entriesLeft: left,
    };
  }
}
