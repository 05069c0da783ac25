import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { Prng, streamSeed } from './prng.js';
import { scenarioSchema, type IncidentSpec, type ParsedScenario } from './scenario.schema.js';
import type { ClusterSpec, Incident, RolloutSpec, Scenario, WaveSpec } from './scenario.types.js';

/** Invalid scenario: one line per problem, each naming the key, e.g. `fleet[1].nodes: ...`. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const DEFAULTS = {
  apiservers: 3,
  seatsPerApiserver: 600,
  corednsInstances: 2,
  cacheLifetime: 1200,
  cacheHitRatio: 0.99,
  legacyCorednsMetrics: false,
} as const;

function keyOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(root)' : out;
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${keyOf(i.path)}: ${i.message}`).join('\n');
}

/** Loads a scenario from a YAML file path or from an already parsed object. */
export function loadScenario(source: unknown): Scenario {
  if (typeof source !== 'string') return resolveScenario(source);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw new ScenarioError(`cannot read scenario ${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ScenarioError(`${source}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return resolveScenario(doc);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(`${source}:\n${error.message}`);
    throw error;
  }
}

export function resolveScenario(doc: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(doc);
  if (!parsed.success) throw new ScenarioError(issuesText(parsed.error));
  return resolve(parsed.data);
}

function expandFleet(p: ParsedScenario): ClusterSpec[] {
  const rng = new Prng(streamSeed(p.seed, 'fleet'));
  const out: ClusterSpec[] = [];
  for (const entry of p.fleet) {
    const knobs = { ...DEFAULTS, ...stripUndefined(p.defaults), ...stripUndefined(entry) };
    const base = {
      apiservers: knobs.apiservers,
      seatsPerApiserver: knobs.seatsPerApiserver,
      corednsInstances: knobs.corednsInstances,
      cacheLifetimeSeconds: knobs.cacheLifetime,
      cacheHitRatio: knobs.cacheHitRatio,
      legacyCorednsMetrics: knobs.legacyCorednsMetrics,
    };
    if (entry.count === undefined) {
      out.push({ ...base, name: entry.name!, group: entry.group ?? null, nodes: entry.nodes as number });
      continue;
    }
    const [lo, hi] = Array.isArray(entry.nodes) ? entry.nodes : [entry.nodes, entry.nodes];
    const sizes = Array.from({ length: entry.count }, () => Math.round(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)))));
    sizes.sort((a, b) => a - b);
    sizes.forEach((nodes, i) => out.push({ ...base, name: `${entry.group}-${i + 1}`, group: entry.group!, nodes }));
  }
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function resolve(p: ParsedScenario): Scenario {
  const problems: string[] = [];
  const clusters = expandFleet(p);
  const names = new Set<string>();
  clusters.forEach((c) => {
    if (names.has(c.name)) problems.push(`fleet: duplicate cluster name "${c.name}"`);
    names.add(c.name);
  });
  const select = (key: string, selectors: readonly string[] | 'all'): string[] => {
    if (selectors === 'all') return clusters.map((c) => c.name);
    const picked: string[] = [];
    for (const s of selectors) {
      const matched = s.startsWith('group:') ? clusters.filter((c) => c.group === s.slice(6)).map((c) => c.name) : names.has(s) ? [s] : [];
      if (matched.length === 0) problems.push(`${key}: unknown cluster or group "${s}"`);
      for (const m of matched) if (!picked.includes(m)) picked.push(m);
    }
    return picked;
  };

  const startMs = Date.parse(p.start);
  const at = (seconds: number): number => startMs + Math.round(seconds * 1000);
  const endMs = at(p.duration);

  const specs = [...(p.rollout ? [{ spec: p.rollout, key: 'rollout' }] : []), ...p.rollouts.map((spec, i) => ({ spec, key: `rollouts[${i}]` }))];
  const ids = new Set<string>();
  const rollouts: RolloutSpec[] = specs.map(({ spec, key }) => {
    if (ids.has(spec.id)) problems.push(`${key}.id: duplicate rollout id "${spec.id}"`);
    ids.add(spec.id);
    const seen = new Set<string>();
    const waves: WaveSpec[] = spec.waves.map((w, i) => {
      const wkey = `${key}.waves[${i}]`;
      if (seen.has(w.name)) problems.push(`${wkey}.name: duplicate wave "${w.name}"`);
      seen.add(w.name);
      if (i > 0 && w.start < spec.waves[i - 1]!.start) problems.push(`${wkey}.start: waves must start in order`);
      return { name: w.name, clusters: select(`${wkey}.clusters`, w.clusters), startMs: at(w.start), spreadMs: w.spread * 1000 };
    });
    const last = waves[waves.length - 1]!;
    return {
      id: spec.id,
      service: spec.service,
      version: spec.version,
      waves,
      agent: spec.agent,
      completedMs: last.startMs + last.spreadMs + spec.completeAfter * 1000,
    };
  });

  const incidents = p.incidents.map((spec, i) => resolveIncident(spec, select(`incidents[${i}].clusters`, spec.clusters), at));
  if (problems.length > 0) throw new ScenarioError(problems.join('\n'));
  const m = p.model;
  return {
    name: p.name,
    description: p.description,
    seed: p.seed,
    startMs,
    endMs,
    intervalMs: p.scrapeInterval * 1000,
    clusters,
    rollout: rollouts[0] ?? null,
    rollouts,
    incidents,
    model: {
      noise: m.noise,
      diurnalAmplitude: m.diurnalAmplitude,
      diurnalPeakHour: m.diurnalPeakHour,
      collapseAfterMs: m.collapseAfter * 1000,
      dnsFailureDelayMs: m.dnsFailureDelay * 1000,
      missFailureRampMs: m.missFailureRamp * 1000,
      internalDnsShare: m.internalDnsShare,
      cacheAgingExponent: m.cacheAgingExponent,
    },
  };
}

function resolveIncident(spec: IncidentSpec, clusters: string[], at: (s: number) => number): Incident {
  switch (spec.kind) {
    case 'traffic_ramp':
      return { kind: spec.kind, clusters, startMs: at(spec.start), rampMs: spec.ramp * 1000, factor: spec.factor };
    case 'load_spike':
      return { kind: spec.kind, clusters, startMs: at(spec.start), endMs: at(spec.start + spec.duration), extraUtilisation: spec.extraUtilisation, noise: spec.noise, noiseTimeMs: spec.noiseTime * 1000 };
    case 'upstream_dns_outage':
    case 'coredns_failure':
      return { kind: spec.kind, clusters, startMs: at(spec.start), endMs: at(spec.start + spec.duration), failRatio: spec.failRatio };
    case 'instance_restart':
    case 'instance_rename':
      return { kind: spec.kind, clusters, target: spec.target, instance: spec.instance, atMs: at(spec.at) };
    case 'missing_scrapes':
      return { kind: spec.kind, clusters, target: spec.target, startMs: at(spec.start), endMs: at(spec.start + spec.duration), mode: spec.mode };
  }
}
