import type { RolloutSpec, Scenario } from './scenario.types.js';

// The deploy events of a scenario's rollout, as deploy tooling would post them to
// POST /api/v1/deploy-events (DESIGN §3), plus the points where it asks the gate.

export interface DeployEventBody {
  eventId: string;
  type: 'rollout_started' | 'wave_started' | 'wave_completed' | 'rollout_completed';
  rolloutId: string;
  service: string;
  version: string;
  wave?: string;
  clusters?: string[];
  plan?: { wave: string; clusters: string[] }[];
  at: string;
}

export type RolloutItem =
  | { readonly kind: 'deploy'; readonly atMs: number; readonly event: DeployEventBody }
  | { readonly kind: 'gate'; readonly atMs: number; readonly rolloutId: string; readonly wave: string };

export function rolloutItems(scenario: Scenario): RolloutItem[] {
  const items = scenario.rollouts.flatMap((r) => itemsOf(r)).map((item, seq) => ({ item, seq }));
  // Stable: same-time items keep their order (started → gate → wave_started; rollouts in file order).
  return items.sort((a, b) => a.item.atMs - b.item.atMs || a.seq - b.seq).map((x) => x.item);
}

function itemsOf(r: RolloutSpec): RolloutItem[] {
  const event = (type: DeployEventBody['type'], atMs: number, extra: Partial<DeployEventBody> = {}): RolloutItem => ({
    kind: 'deploy',
    atMs,
    event: {
      eventId: `${r.id}:${type}${extra.wave ? `:${extra.wave}` : ''}`,
      type,
      rolloutId: r.id,
      service: r.service,
      version: r.version,
      ...extra,
      at: new Date(atMs).toISOString(),
    },
  });
  const first = r.waves[0]!;
  const items: RolloutItem[] = [event('rollout_started', first.startMs, { plan: r.waves.map((w) => ({ wave: w.name, clusters: [...w.clusters] })) })];
  for (const w of r.waves) {
    items.push({ kind: 'gate', atMs: w.startMs, rolloutId: r.id, wave: w.name });
    items.push(event('wave_started', w.startMs, { wave: w.name, clusters: [...w.clusters] }));
    items.push(event('wave_completed', w.startMs + w.spreadMs, { wave: w.name, clusters: [...w.clusters] }));
  }
  items.push(event('rollout_completed', r.completedMs));
  return items;
}
