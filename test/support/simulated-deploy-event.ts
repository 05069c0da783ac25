import type { DeployEventBody } from '../../scenarios/index.js';
import type { DeployEvent } from '../../src/rollouts/rollout.types.js';

/** a simulator deploy event as the deploy-event store would hold it (in-process replays) */
export function deployEventOf(e: DeployEventBody, atMs: number, seq: number): DeployEvent {
  return {
    eventId: e.eventId,
    type: e.type,
    rolloutId: e.rolloutId,
    service: e.service,
    version: e.version,
    wave: e.wave ?? null,
    clusters: e.clusters ?? [],
    plan: e.plan ?? null,
    atMs,
    seq,
  };
}
