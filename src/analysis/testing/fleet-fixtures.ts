// A standard synthetic fleet for the analysis specs: a rollout's first wave of small
// clusters, a second wave with one large cluster, and a dozen unreached controls.
import type { RolloutState } from '../../rollouts/rollout.types.js';
import { SIGNALS } from '../../signals/signal.types.js';
import type { MemorySignalReader } from './memory-signal-reader.js';
import { rolloutFixture } from './rollout-fixtures.js';
import { overlay, syntheticFleet, type SyntheticCluster } from './synthetic-fleet.js';

export const T0 = Date.UTC(2024, 11, 11, 22, 0, 0);
export const STEP_MS = 15_000;
export const ROLLOUT = 'telemetry-agent-2024-12-11';

export const WAVE1: readonly SyntheticCluster[] = [
  { name: 'w1-a', nodes: 100 },
  { name: 'w1-b', nodes: 200 },
  { name: 'w1-c', nodes: 300 },
  { name: 'w1-d', nodes: 400 },
];
export const WAVE2: readonly SyntheticCluster[] = [
  { name: 'w2-a', nodes: 1500 },
  { name: 'w2-b', nodes: 600 },
];
export const CONTROLS: readonly SyntheticCluster[] = Array.from({ length: 12 }, (_, i) => ({
  name: `ctl-${String(i + 1).padStart(2, '0')}`,
  nodes: 100 * (i + 1),
}));

export function standardFleet(stepMs = STEP_MS, seed = 7, extra: readonly SyntheticCluster[] = []): MemorySignalReader {
  return syntheticFleet({
    clusters: [...WAVE1, ...WAVE2, ...CONTROLS, ...extra],
    stepMs,
    fromMs: T0 - 3600_000,
    toMs: T0 + 3600_000,
    seed,
  });
}

/** the agent's per-node API calls cost ∝ nodes², ramping in over `rampSeconds` as pods start */
export function injectNodesSquaredLoad(reader: MemorySignalReader, clusters: readonly SyntheticCluster[], startMs: number, k = 0.00025, rampSeconds = 120): void {
  for (const c of clusters) {
    const seats = k * c.nodes ** 2;
    overlay(reader, c.name, SIGNALS.apiBusySeats, startMs, (v, s) => v + seats * Math.min(1, s / rampSeconds));
    overlay(reader, c.name, SIGNALS.apiReadRate, startMs, (v, s) => v + 8 * seats * Math.min(1, s / rampSeconds));
    overlay(reader, c.name, SIGNALS.apiRequestRate, startMs, (v, s) => v + 8 * seats * Math.min(1, s / rampSeconds));
  }
}

export function twoWaveRollout(wave1 = WAVE1, wave2 = WAVE2, wave1StartMs = T0): RolloutState {
  return rolloutFixture(ROLLOUT, wave1StartMs - 60_000, [
    { wave: 'wave-1', clusters: wave1.map((c) => c.name), startedAtMs: wave1StartMs },
    { wave: 'wave-2', clusters: wave2.map((c) => c.name), startedAtMs: null },
  ]);
}
