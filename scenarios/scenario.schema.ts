import { z } from 'zod';
import { parseDurationSeconds } from './duration.js';

// The YAML scenario file (documented in scenarios/README.md). Durations are "15s", "10m",
// "2h" or seconds; times inside the run are offsets from `start`.

const duration = z.union([z.string(), z.number()]).transform((input, ctx) => {
  const seconds = parseDurationSeconds(input);
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(input)} (use e.g. 15s, 10m, 2h)` });
    return z.NEVER;
  }
  return seconds;
});

const fraction = z.number().min(0).max(1);
const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and dashes');

/** Per-cluster knobs; every one has a default. */
const clusterKnobs = z.object({
  apiservers: z.number().int().min(1).max(9).optional(),
  seatsPerApiserver: z.number().int().min(10).max(10_000).optional(),
  corednsInstances: z.number().int().min(1).max(20).optional(),
  cacheLifetime: duration.optional(),
  cacheHitRatio: z.number().min(0.5).max(0.9999).optional(),
  legacyCorednsMetrics: z.boolean().optional(),
});

/** One cluster (name + nodes) or a group of `count` clusters named GROUP-1..N. */
const fleetEntry = clusterKnobs
  .extend({
    name: name.optional(),
    group: name.optional(),
    count: z.number().int().min(1).max(2000).optional(),
    /** one node count, or [min, max] spread log-uniformly with the seed (groups only) */
    nodes: z.union([z.number().int().min(1).max(20_000), z.tuple([z.number().int().min(1), z.number().int().max(20_000)])]),
  })
  .superRefine((entry, ctx) => {
    if (entry.count === undefined && entry.name === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a fleet entry needs either name (one cluster) or group and count', path: ['name'] });
    }
    if (entry.count !== undefined && entry.group === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a group needs a group name', path: ['group'] });
    }
    if (entry.count === undefined && Array.isArray(entry.nodes)) {
      ctx.addIssue({ code: 'custom', message: 'a node range [min, max] needs count', path: ['nodes'] });
    }
    if (Array.isArray(entry.nodes) && entry.nodes[0] > entry.nodes[1]) {
      ctx.addIssue({ code: 'custom', message: 'node range must be [min, max]', path: ['nodes'] });
    }
  });

/** The API cost the deployed agent adds on every node it runs on. */
const agentEffect = z.object({
  callsPerNodePerSecond: z.number().min(0).max(100),
  /** as the apiserver labels it: POST creates, PUT updates */
  verb: z.enum(['GET', 'LIST', 'WATCH', 'POST', 'PUT', 'PATCH', 'DELETE']).default('LIST'),
  resource: z.string().min(1).default('pods'),
  /** seat-seconds (mean latency at one seat) per call: fixed part ... */
  secondsPerCall: z.number().min(0).max(60).default(0.01),
  /** ... plus a part per node of the cluster: the cost that grows with cluster size */
  secondsPerCallPerNode: z.number().min(0).max(1).default(0),
});

const wave = z.object({
  name,
  /** cluster names or group:NAME */
  clusters: z.array(z.string().min(1)).min(1),
  start: duration,
  /** time for the DaemonSet to reach every node of the wave's clusters */
  spread: duration.default(180),
});

const rollout = z.object({
  id: z.string().min(1).max(200),
  service: z.string().min(1).default('telemetry-agent'),
  version: z.string().min(1).default('v1.0.0'),
  waves: z.array(wave).min(1),
  agent: agentEffect,
  /** the rollout_completed event comes this long after the last wave completed */
  completeAfter: duration.default(60),
});

const clusterTarget = z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]);
const target = z.enum(['apiserver', 'coredns', 'all']);

const incident = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('traffic_ramp'), clusters: clusterTarget, start: duration, ramp: duration, factor: z.number().min(0.1).max(10) }),
  z.object({
    kind: z.literal('load_spike'),
    clusters: clusterTarget,
    start: duration,
    duration,
    extraUtilisation: z.number().min(0).max(5),
    /** relative per-scrape noise of the spike's load (0: flat) — a cluster hovering near a threshold */
    noise: z.number().min(0).max(0.5).default(0),
    /** correlation time of that noise (0: independent per scrape); minutes make slow swings across a threshold */
    noiseTime: duration.default(0),
  }),
  z.object({ kind: z.literal('upstream_dns_outage'), clusters: clusterTarget, start: duration, duration, failRatio: fraction.default(1) }),
  /** CoreDNS itself fails a share of cache misses (SERVFAIL written by the server, no plugin): neither backend is at fault */
  z.object({ kind: z.literal('coredns_failure'), clusters: clusterTarget, start: duration, duration, failRatio: fraction.default(1) }),
  z.object({ kind: z.literal('instance_restart'), clusters: clusterTarget, target, instance: z.number().int().min(0).default(0), at: duration }),
  z.object({ kind: z.literal('instance_rename'), clusters: clusterTarget, target, instance: z.number().int().min(0).default(0), at: duration }),
  z.object({ kind: z.literal('missing_scrapes'), clusters: clusterTarget, target, start: duration, duration, mode: z.enum(['failed', 'gap']).default('failed') }),
]);

const model = z.object({
  /** relative noise of request rates per scrape */
  noise: z.number().min(0).max(0.5).default(0.03),
  diurnalAmplitude: z.number().min(0).max(0.9).default(0.15),
  /** hour (UTC) of the daily traffic peak */
  diurnalPeakHour: z.number().min(0).max(24).default(15),
  /** sustained time above capacity before the control plane falls over */
  collapseAfter: duration.default(300),
  /** time after the collapse before cache misses start failing */
  dnsFailureDelay: duration.default(0),
  /** time for the miss failure ratio to reach its maximum */
  missFailureRamp: duration.default(60),
  /** share of DNS queries for cluster-internal names (kubernetes plugin), the rest forwarded */
  internalDnsShare: fraction.default(0.6),
  /** how cached entries age out once their backend fails: remaining = 1 - (age/lifetime)^p */
  cacheAgingExponent: z.number().min(1).max(20).default(4),
});

export const scenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  start: z.iso.datetime({ offset: true }),
  duration,
  scrapeInterval: duration.refine((s) => s >= 1 && s <= 300, 'scrapeInterval must be 1s..5m'),
  defaults: clusterKnobs.prefault({}),
  fleet: z.array(fleetEntry).min(1),
  rollout: rollout.optional(),
  /** further rollouts running at the same time (concurrent rollouts); ids must differ */
  rollouts: z.array(rollout).default([]),
  incidents: z.array(incident).default([]),
  model: model.prefault({}),
});

export type ScenarioFile = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type IncidentSpec = z.output<typeof incident>;
export type AgentEffect = z.output<typeof agentEffect>;
