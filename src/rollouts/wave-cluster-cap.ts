import { badRequest } from '../common/domain-error.js';
import type { ParsedDeployEvent } from './parse-deploy-events.js';
import type { RolloutState, WaveState } from './rollout.types.js';

interface WaveCount {
  readonly known: WaveState | undefined;
  readonly added: Set<string>;
}

// events.maxClustersPerWave bounds what one sender can grow: the distinct clusters of one
// wave (its plan plus every event naming it). Work is linear in the clusters of the request.
export function checkWaveCaps(parsed: readonly ParsedDeployEvent[], stateOf: (rolloutId: string) => RolloutState | undefined, max: number): void {
  const counts = new Map<string, WaveCount>();
  const wavesOf = new Map<string, Map<string, WaveState>>();
  const countFor = (rolloutId: string, wave: string): WaveCount => {
    const key = JSON.stringify([rolloutId, wave]);
    let count = counts.get(key);
    if (!count) {
      let waves = wavesOf.get(rolloutId);
      if (!waves) wavesOf.set(rolloutId, (waves = new Map((stateOf(rolloutId)?.waves ?? []).map((w) => [w.wave, w]))));
      counts.set(key, (count = { known: waves.get(wave), added: new Set() }));
    }
    return count;
  };
  const add = (path: string, rolloutId: string, wave: string, clusters: readonly string[]): void => {
    const count = countFor(rolloutId, wave);
    for (const c of clusters) if (!count.known?.clusterStatus || !Object.hasOwn(count.known.clusterStatus, c)) count.added.add(c);
    const total = (count.known?.clusters.length ?? 0) + count.added.size;
    if (total > max) {
      throw badRequest(`${path ? `${path}.` : ''}clusters: wave "${wave}" of rollout "${rolloutId}" would hold ${total} clusters, more than events.maxClustersPerWave=${max}`);
    }
  };
  for (const { path, event } of parsed) {
    if (event.wave !== null) add(path, event.rolloutId, event.wave, event.clusters);
    for (const p of event.plan ?? []) add(path, event.rolloutId, p.wave, p.clusters);
  }
}
