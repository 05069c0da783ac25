import type { DeployEvent, RolloutState, RolloutStatus, WavePlan, WaveState, WaveStatus } from './rollout.types.js';

// Pure: the state of one rollout as a fold over its events in event-time order (atMs, then
// arrival seq), so events that arrive out of order still give the state they describe.

interface MutableWave {
  wave: string;
  clusters: string[];
  status: WaveStatus;
  startedAtMs: number | null;
  completedAtMs: number | null;
  planned: boolean;
}

export const byEventTime = (a: DeployEvent, b: DeployEvent): number => a.atMs - b.atMs || a.seq - b.seq;

const terminalStatus: Partial<Record<DeployEvent['type'], RolloutStatus>> = {
  rollout_completed: 'completed',
  rollout_aborted: 'aborted',
  rollout_rolled_back: 'rolled_back',
};

function addClusters(target: string[], clusters: readonly string[]): void {
  for (const c of clusters) if (!target.includes(c)) target.push(c);
}

export function deriveRolloutState(events: readonly DeployEvent[]): RolloutState {
  const ordered = [...events].sort(byEventTime);
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (!first || !last) throw new RangeError('deriveRolloutState needs at least one event');

  let service: string | null = null;
  let version: string | null = null;
  let plan: readonly WavePlan[] | null = null;
  let status: RolloutStatus = 'in_progress';
  let endedAtMs: number | null = null;
  const waves = new Map<string, MutableWave>();
  const waveOf = (name: string): MutableWave => {
    let w = waves.get(name);
    if (!w) {
      w = { wave: name, clusters: [], status: 'planned', startedAtMs: null, completedAtMs: null, planned: false };
      waves.set(name, w);
    }
    return w;
  };

  // A start after an end means the rollout was resumed.
  const reopen = (): void => {
    status = 'in_progress';
    endedAtMs = null;
  };

  for (const e of ordered) {
    service = e.service ?? service;
    version = e.version ?? version;
    switch (e.type) {
      case 'rollout_started':
        if (e.plan) plan = e.plan;
        reopen();
        break;
      case 'wave_started': {
        reopen();
        if (e.wave === null) break;
        const w = waveOf(e.wave);
        addClusters(w.clusters, e.clusters);
        w.status = 'in_progress';
        w.startedAtMs ??= e.atMs;
        w.completedAtMs = null;
        break;
      }
      case 'wave_completed': {
        if (e.wave === null) break;
        const w = waveOf(e.wave);
        addClusters(w.clusters, e.clusters);
        w.status = 'completed';
        w.completedAtMs = e.atMs;
        break;
      }
      case 'rollout_completed':
      case 'rollout_aborted':
      case 'rollout_rolled_back': {
        status = terminalStatus[e.type] ?? status;
        endedAtMs = e.atMs;
        const waveEnd: WaveStatus = e.type === 'rollout_completed' ? 'completed' : 'aborted';
        for (const w of waves.values()) {
          if (w.status !== 'in_progress') continue;
          w.status = waveEnd;
          w.completedAtMs = e.atMs;
        }
        break;
      }
    }
  }

  return {
    rolloutId: first.rolloutId,
    service,
    version,
    status,
    startedAtMs: first.atMs,
    endedAtMs,
    waves: orderWaves(plan, waves),
    plan,
    updatedAtMs: last.atMs,
  };
}

// Plan order first (clusters from the plan unless the wave's events named them), then the
// waves that started without a plan entry, in start order.
function orderWaves(plan: readonly WavePlan[] | null, seen: Map<string, MutableWave>): WaveState[] {
  const out: WaveState[] = [];
  for (const p of plan ?? []) {
    const w = seen.get(p.wave);
    if (w) w.planned = true;
    out.push(freeze(w ?? { wave: p.wave, clusters: [], status: 'planned', startedAtMs: null, completedAtMs: null, planned: true }, p.clusters));
  }
  const unplanned = [...seen.values()].filter((w) => !w.planned);
  unplanned.sort((a, b) => (a.startedAtMs ?? a.completedAtMs ?? 0) - (b.startedAtMs ?? b.completedAtMs ?? 0));
  for (const w of unplanned) out.push(freeze(w, []));
  return out;
}

function freeze(w: MutableWave, planClusters: readonly string[]): WaveState {
  return {
    wave: w.wave,
    clusters: w.clusters.length > 0 ? [...w.clusters] : [...planClusters],
    status: w.status,
    startedAtMs: w.startedAtMs,
    completedAtMs: w.completedAtMs,
  };
}

// Groups a mixed stream of events by rollout and derives each.
export function deriveRollouts(events: readonly DeployEvent[]): RolloutState[] {
  const byRollout = new Map<string, DeployEvent[]>();
  for (const e of events) {
    const list = byRollout.get(e.rolloutId);
    if (list) list.push(e);
    else byRollout.set(e.rolloutId, [e]);
  }
  return [...byRollout.values()].map(deriveRolloutState);
}
