import type { ClusterStatus, DeployEvent, RolloutState, RolloutStatus, WavePlan, WaveState, WaveStatus } from './rollout.types.js';

// Pure: the state of one rollout as a fold over its events in event-time order (atMs, then
// arrival seq), so events that arrive out of order still give the state they describe.
// RolloutFold applies one event in O(clusters of that event) so that a rollout reported one
// cluster at a time costs linear work; deriveRolloutState sorts and folds.

// Snapshots share each wave's cluster list (append-only) and status record (updated in
// place) instead of copying them, so a snapshot costs O(waves) and a rollout reported one
// cluster per request stays linear; consumers treat a state as read-only and take the next.
interface MutableWave {
  wave: string;
  /** insertion-ordered: plan clusters first, then clusters named by events */
  clusters: Map<string, ClusterStatus>;
  clusterList: string[];
  statusRecord: Record<string, ClusterStatus>;
  completedCount: number;
  status: WaveStatus;
  startedAtMs: number | null;
  completedAtMs: number | null;
  /** the frozen view, rebuilt only after this wave changed */
  frozen: WaveState | null;
}

export const byEventTime = (a: DeployEvent, b: DeployEvent): number => a.atMs - b.atMs || a.seq - b.seq;

const terminalStatus: Partial<Record<DeployEvent['type'], RolloutStatus>> = {
  rollout_completed: 'completed',
  rollout_aborted: 'aborted',
  rollout_rolled_back: 'rolled_back',
};

const clusterStatusOf: Partial<Record<DeployEvent['type'], ClusterStatus>> = {
  cluster_started: 'in_progress',
  cluster_completed: 'completed',
  cluster_failed: 'failed',
};

export class RolloutFold {
  private service: string | null = null;
  private version: string | null = null;
  private plan: readonly WavePlan[] | null = null;
  private status: RolloutStatus = 'in_progress';
  private endedAtMs: number | null = null;
  private first: DeployEvent | null = null;
  private last: DeployEvent | null = null;
  private readonly waves = new Map<string, MutableWave>();

  /** The newest event folded so far (event-time order); later events can be applied in place. */
  get lastEvent(): DeployEvent | null {
    return this.last;
  }

  apply(e: DeployEvent): void {
    this.first ??= e;
    this.last = e;
    this.service = e.service ?? this.service;
    this.version = e.version ?? this.version;
    switch (e.type) {
      case 'rollout_started':
        if (e.plan) {
          this.plan = e.plan;
          for (const p of e.plan) this.addClusters(this.waveOf(p.wave), p.clusters, 'pending');
        }
        this.reopen();
        break;
      case 'wave_started': {
        this.reopen();
        if (e.wave === null) break;
        const w = this.waveOf(e.wave);
        this.addClusters(w, e.clusters, 'in_progress');
        // an unnamed start means every cluster of the wave is being deployed
        if (e.clusters.length === 0) for (const [c, s] of w.clusters) if (s === 'pending') this.setCluster(w, c, 'in_progress');
        this.start(w, e.atMs);
        break;
      }
      case 'wave_completed': {
        if (e.wave === null) break;
        const w = this.waveOf(e.wave);
        this.addClusters(w, e.clusters, 'completed');
        for (const [c, s] of w.clusters) if (s !== 'failed') this.setCluster(w, c, 'completed');
        this.complete(w, e.atMs);
        break;
      }
      case 'cluster_started':
      case 'cluster_completed':
      case 'cluster_failed': {
        if (e.type === 'cluster_started') this.reopen();
        if (e.wave === null) break;
        const w = this.waveOf(e.wave);
        const to = clusterStatusOf[e.type] ?? 'in_progress';
        // no clusters named: the statement is about every cluster of the wave
        const targets = e.clusters.length > 0 ? e.clusters : [...w.clusters.keys()];
        for (const c of targets) this.setCluster(w, c, to);
        if (w.status === 'planned' || (w.status === 'completed' && w.completedCount < w.clusters.size)) this.start(w, e.atMs);
        if (w.status === 'in_progress' && w.clusters.size > 0 && w.completedCount === w.clusters.size) this.complete(w, e.atMs);
        break;
      }
      case 'rollout_completed':
      case 'rollout_aborted':
      case 'rollout_rolled_back': {
        this.status = terminalStatus[e.type] ?? this.status;
        this.endedAtMs = e.atMs;
        const waveEnd: WaveStatus = e.type === 'rollout_completed' ? 'completed' : 'aborted';
        for (const w of this.waves.values()) {
          if (w.status !== 'in_progress') continue;
          if (waveEnd === 'completed') for (const [c, s] of w.clusters) if (s !== 'failed') this.setCluster(w, c, 'completed');
          w.status = waveEnd;
          w.completedAtMs = e.atMs;
          w.frozen = null;
        }
        break;
      }
    }
  }

  snapshot(): RolloutState {
    const first = this.first;
    const last = this.last;
    if (!first || !last) throw new RangeError('a rollout needs at least one event');
    return {
      rolloutId: first.rolloutId,
      service: this.service,
      version: this.version,
      status: this.status,
      startedAtMs: first.atMs,
      endedAtMs: this.endedAtMs,
      waves: this.orderWaves(),
      plan: this.plan,
      updatedAtMs: last.atMs,
    };
  }

  // A start after an end means the rollout was resumed.
  private reopen(): void {
    this.status = 'in_progress';
    this.endedAtMs = null;
  }

  private waveOf(name: string): MutableWave {
    let w = this.waves.get(name);
    if (!w) {
      w = { wave: name, clusters: new Map(), clusterList: [], statusRecord: {}, completedCount: 0, status: 'planned', startedAtMs: null, completedAtMs: null, frozen: null };
      this.waves.set(name, w);
    }
    return w;
  }

  private start(w: MutableWave, atMs: number): void {
    w.status = 'in_progress';
    w.startedAtMs ??= atMs;
    w.completedAtMs = null;
    w.frozen = null;
  }

  private complete(w: MutableWave, atMs: number): void {
    w.status = 'completed';
    w.completedAtMs = atMs;
    w.frozen = null;
  }

  private addClusters(w: MutableWave, clusters: readonly string[], status: ClusterStatus): void {
    for (const c of clusters) if (!w.clusters.has(c)) this.setCluster(w, c, status);
  }

  private setCluster(w: MutableWave, cluster: string, to: ClusterStatus): void {
    const from = w.clusters.get(cluster);
    if (from === to) return;
    if (from === 'completed') w.completedCount--;
    if (to === 'completed') w.completedCount++;
    w.clusters.set(cluster, to);
    if (from === undefined) w.clusterList.push(cluster);
    // a cluster named "__proto__" must become a plain key, not the record's prototype
    if (from === undefined && cluster === '__proto__') Object.defineProperty(w.statusRecord, cluster, { value: to, enumerable: true, writable: true, configurable: true });
    else w.statusRecord[cluster] = to;
    w.frozen = null;
  }

  // Plan order first, then the waves that started without a plan entry, in start order.
  private orderWaves(): WaveState[] {
    const out: WaveState[] = [];
    const planned = new Set<string>();
    for (const p of this.plan ?? []) {
      planned.add(p.wave);
      out.push(freeze(this.waveOf(p.wave)));
    }
    const unplanned = [...this.waves.values()].filter((w) => !planned.has(w.wave));
    unplanned.sort((a, b) => (a.startedAtMs ?? a.completedAtMs ?? 0) - (b.startedAtMs ?? b.completedAtMs ?? 0));
    for (const w of unplanned) out.push(freeze(w));
    return out;
  }
}

function freeze(w: MutableWave): WaveState {
  w.frozen ??= {
    wave: w.wave,
    clusters: w.clusterList,
    status: w.status,
    startedAtMs: w.startedAtMs,
    completedAtMs: w.completedAtMs,
    clusterStatus: w.statusRecord,
  };
  return w.frozen;
}

export function deriveRolloutState(events: readonly DeployEvent[]): RolloutState {
  if (events.length === 0) throw new RangeError('deriveRolloutState needs at least one event');
  const fold = new RolloutFold();
  for (const e of [...events].sort(byEventTime)) fold.apply(e);
  return fold.snapshot();
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
