// Rollout states for tests, as the deploy-event store would derive them.
import type { RolloutState, WaveState } from '../../rollouts/rollout.types.js';

export interface WaveFixture {
  readonly wave: string;
  readonly clusters: readonly string[];
  /** null: planned, not started */
  readonly startedAtMs: number | null;
}

export function rolloutFixture(rolloutId: string, startedAtMs: number, waves: readonly WaveFixture[]): RolloutState {
  const states: WaveState[] = waves.map((w) => ({
    wave: w.wave,
    clusters: w.clusters,
    status: w.startedAtMs === null ? 'planned' : 'in_progress',
    startedAtMs: w.startedAtMs,
    completedAtMs: null,
  }));
  return {
    rolloutId,
    service: 'telemetry-agent',
    version: 'v1.4.0',
    status: 'in_progress',
    startedAtMs,
    endedAtMs: null,
    waves: states,
    plan: waves.map((w) => ({ wave: w.wave, clusters: w.clusters })),
    updatedAtMs: startedAtMs,
  };
}
