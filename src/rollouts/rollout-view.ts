import type { ClusterStatus, RolloutState, RolloutStatus, WavePlan, WaveStatus } from './rollout.types.js';

// The JSON shape of GET /api/v1/rollouts[/{id}]: camelCase, RFC 3339 times.
export interface RolloutView {
  rolloutId: string;
  service: string | null;
  version: string | null;
  status: RolloutStatus;
  startedAt: string;
  endedAt: string | null;
  updatedAt: string;
  plan: readonly WavePlan[] | null;
  waves: Array<{
    wave: string;
    clusters: readonly string[];
    status: WaveStatus;
    startedAt: string | null;
    completedAt: string | null;
    /** per cluster: pending | in_progress | completed | failed */
    clusterStatus: Readonly<Record<string, ClusterStatus>>;
  }>;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function toRolloutView(s: RolloutState): RolloutView {
  return {
    rolloutId: s.rolloutId,
    service: s.service,
    version: s.version,
    status: s.status,
    startedAt: iso(s.startedAtMs),
    endedAt: isoOrNull(s.endedAtMs),
    updatedAt: iso(s.updatedAtMs),
    plan: s.plan,
    waves: s.waves.map((w) => ({
      wave: w.wave,
      clusters: w.clusters,
      status: w.status,
      startedAt: isoOrNull(w.startedAtMs),
      completedAt: isoOrNull(w.completedAtMs),
      clusterStatus: w.clusterStatus ?? {},
    })),
  };
}
