// Which rollouts, waves and clusters an evaluation looks at, and which clusters are controls.
import type { RolloutState, WaveState } from '../rollouts/rollout.types.js';
import type { AnalysisConfig } from './analysis-config.js';

export interface StartedWave {
  readonly wave: string;
  readonly startedAtMs: number;
  /** when the wave reached all of its clusters (wave_completed), if it did by now */
  readonly completedAtMs: number | null;
  /** clusters first reached by this wave (a cluster listed again later belongs to its first wave) */
  readonly clusters: readonly string[];
}

export interface RolloutScope {
  readonly rollout: RolloutState;
  /** in progress: the gate fails closed on missing telemetry and looks at the next wave */
  readonly inProgress: boolean;
  /** effects may still be attributed to it (in progress, or ended within the grace period) */
  readonly attributable: boolean;
  readonly started: readonly StartedWave[];
  readonly reached: ReadonlySet<string>;
  readonly nextWave: WaveState | undefined;
}

export function rolloutScope(rollout: RolloutState, nowMs: number, config: AnalysisConfig): RolloutScope {
  const startedWaves = rollout.waves
    .filter((w): w is WaveState & { startedAtMs: number } => w.startedAtMs !== null && w.startedAtMs <= nowMs)
    .sort((a, b) => a.startedAtMs - b.startedAtMs || a.wave.localeCompare(b.wave));
  const reached = new Set<string>();
  const started: StartedWave[] = [];
  for (const w of startedWaves) {
    const clusters = [...new Set(w.clusters)].filter((c) => !reached.has(c)).sort();
    clusters.forEach((c) => reached.add(c));
    const completedAtMs = w.completedAtMs !== null && w.completedAtMs <= nowMs ? w.completedAtMs : null;
    started.push({ wave: w.wave, startedAtMs: w.startedAtMs, completedAtMs, clusters });
  }
  const inProgress = rollout.status === 'in_progress';
  const endedRecently = rollout.endedAtMs !== null && nowMs - rollout.endedAtMs <= config.rolloutGraceSeconds * 1000;
  const nextWave = inProgress
    ? rollout.waves.find((w) => (w.startedAtMs === null || w.startedAtMs > nowMs) && w.status !== 'aborted')
    : undefined;
  return { rollout, inProgress, attributable: inProgress || endedRecently, started, reached, nextWave };
}
