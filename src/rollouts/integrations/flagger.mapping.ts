import { badRequest } from '../../common/domain-error.js';
import type { DeployEventType } from '../rollout.types.js';
import { ignored, obj, str, timeOf, type Mapped } from './integration-event.js';

// Flagger webhooks (fluxcd/flagger pkg/controller/webhook.go): always a POST of
// {name, namespace, phase, checksum, metadata}; the event hook adds metadata.eventMessage,
// eventType and timestamp (ms). Flagger sends no headers and knows no rollout id, so the
// rollout comes from metadata (rolloutKey) or is "<namespace>/<name>", the cluster and wave
// from the URL query or metadata.

export interface FlaggerKeys {
  readonly rolloutKey: string;
  readonly waveKey: string;
  readonly clusterKey: string;
}

export interface FlaggerPayload {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string | undefined;
  readonly checksum: string | undefined;
  readonly metadata: Record<string, unknown>;
}

export interface FlaggerQuery {
  readonly cluster?: string | undefined;
  readonly wave?: string | undefined;
}

const eventTypes: Readonly<Record<string, DeployEventType>> = {
  Progressing: 'cluster_started',
  Succeeded: 'cluster_completed',
  Failed: 'cluster_failed',
};

export function flaggerPayload(body: unknown): FlaggerPayload {
  const name = str(body, 'name');
  const namespace = str(body, 'namespace');
  if (!name || !namespace) throw badRequest('body: expected a Flagger webhook payload {name, namespace, phase, checksum, metadata}');
  return { name, namespace, phase: str(body, 'phase'), checksum: str(body, 'checksum'), metadata: obj(body, 'metadata') ?? {} };
}

export function flaggerRolloutId(p: FlaggerPayload, keys: FlaggerKeys): string {
  return str(p.metadata, keys.rolloutKey) ?? `${p.namespace}/${p.name}`;
}

export function mapFlaggerEvent(p: FlaggerPayload, query: FlaggerQuery, keys: FlaggerKeys): Mapped {
  const type = p.phase === undefined ? undefined : eventTypes[p.phase];
  if (!type) return ignored(`phase ${p.phase ?? '(none)'} does not change rollout state`);
  const cluster = query.cluster ?? str(p.metadata, keys.clusterKey);
  if (!cluster) throw badRequest(`cluster: add ?cluster=<name> to the webhook URL or metadata.${keys.clusterKey}`);
  const wave = query.wave ?? str(p.metadata, keys.waveKey);
  if (!wave) throw badRequest(`wave: add ?wave=<name> to the webhook URL or metadata.${keys.waveKey}`);
  const rolloutId = flaggerRolloutId(p, keys);
  return {
    events: [
      {
        // one statement per phase and revision: the event hook repeats Progressing on every analysis step
        eventId: `flagger:${rolloutId}:${cluster}:${p.phase ?? ''}:${p.checksum ?? ''}`,
        type,
        rolloutId,
        service: p.name,
        version: p.checksum ?? null,
        wave,
        clusters: [cluster],
        ...optionalAt(timeOf(p.metadata.timestamp)),
      },
    ],
  };
}

function optionalAt(at: string | undefined): { at?: string } {
  return at === undefined ? {} : { at };
}
