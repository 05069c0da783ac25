import { badRequest } from '../../common/domain-error.js';
import type { DeployEventType } from '../rollout.types.js';
import { ignored, names, obj, str, timeOf, type DeployEventBody, type Mapped } from './integration-event.js';

// GitHub `deployment` and `deployment_status` webhooks (github/docs webhook-events-and-payloads;
// octokit/webhooks payload examples). The environment is the wave; deployment.payload.<key>
// may name the rollout ({rolloutId, clusters, wave}); otherwise the rollout is
// "<repository>-<sha7>", the same for every environment the commit goes through.

export interface GithubDelivery {
  readonly event: string;
  readonly deliveryId: string | undefined;
  readonly body: unknown;
}

const statusTypes: Readonly<Record<string, DeployEventType>> = {
  queued: 'cluster_started',
  pending: 'cluster_started',
  in_progress: 'cluster_started',
  success: 'cluster_completed',
  failure: 'cluster_failed',
  error: 'cluster_failed',
};

export function mapGithubDelivery(d: GithubDelivery, payloadKey: string): Mapped {
  if (d.event === 'ping') return ignored('ping');
  if (d.event !== 'deployment' && d.event !== 'deployment_status') return ignored(`event ${d.event || '(none)'} does not change rollout state`);
  const deployment = obj(d.body, 'deployment');
  if (!deployment) throw badRequest(`deployment: required in a ${d.event} payload`);
  const ours = wavewatchPayload(deployment, payloadKey);
  const sha = str(deployment, 'sha');
  const repository = str(obj(d.body, 'repository'), 'name');
  const rolloutId = str(ours, 'rolloutId') ?? (repository && sha ? `${repository}-${sha.slice(0, 7)}` : undefined);
  if (!rolloutId) throw badRequest(`deployment.payload.${payloadKey}.rolloutId: required when the payload has no repository and sha`);
  const status = obj(d.body, 'deployment_status');
  const wave = str(ours, 'wave') ?? str(status, 'environment') ?? str(deployment, 'environment');
  if (!wave) throw badRequest('deployment.environment: required (the environment is the wave)');
  const clusters = names(ours?.clusters);
  const base: Omit<DeployEventBody, 'type'> = {
    ...(d.deliveryId ? { eventId: `github:${d.deliveryId}` } : {}),
    rolloutId,
    service: repository ?? null,
    version: sha ?? str(deployment, 'ref') ?? null,
    wave,
    clusters,
  };
  if (d.event === 'deployment') {
    const at = timeOf(str(deployment, 'created_at'));
    // a deployment without clusters starts the wave its plan (or an earlier event) describes
    return { events: [{ ...base, type: clusters.length > 0 ? 'wave_started' : 'cluster_started', ...(at ? { at } : {}) }] };
  }
  const state = str(status, 'state') ?? '';
  const type = statusTypes[state];
  if (!type) return ignored(`deployment_status ${state || '(none)'} does not change rollout state`);
  const at = timeOf(str(status, 'updated_at') ?? str(status, 'created_at'));
  return { events: [{ ...base, type, ...(at ? { at } : {}) }] };
}

// GitHub keeps deployment.payload as given: an object, or a JSON string.
function wavewatchPayload(deployment: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  let payload: unknown = deployment.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload) as unknown;
    } catch {
      return undefined;
    }
  }
  return obj(payload, key);
}
