import { badRequest } from '../../common/domain-error.js';
import type { DeployEventType } from '../rollout.types.js';
import { ignored, obj, str, timeOf, type Mapped } from './integration-event.js';

// Argo CD and Argo Rollouts notifications (argoproj/notifications-engine
// pkg/services/webhook.go): the body is whatever the template renders; deploy/argo/ ships
// templates rendering {source, trigger, name, namespace, labels, annotations, revision,
// cluster, destination, at}. One Application or Rollout is one cluster, so each
// notification is a cluster event; rollout, wave and cluster come from labels or annotations.

export interface ArgoKeys {
  readonly rolloutKey: string;
  readonly waveKey: string;
  readonly clusterKey: string;
}

const triggerTypes: Readonly<Record<string, DeployEventType>> = {
  'on-sync-running': 'cluster_started',
  'on-deployed': 'cluster_completed',
  'on-sync-failed': 'cluster_failed',
  'on-health-degraded': 'cluster_failed',
  'on-rollout-step-completed': 'cluster_started',
  'on-rollout-completed': 'cluster_completed',
  'on-rollout-aborted': 'cluster_failed',
};

export function mapArgoNotification(body: unknown, keys: ArgoKeys): Mapped {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body: expected the JSON object rendered by a wavewatch notification template');
  const trigger = str(body, 'trigger');
  if (!trigger) throw badRequest('trigger: required (the notification template names its trigger, e.g. "on-deployed")');
  const type = triggerTypes[trigger];
  if (!type) return ignored(`trigger ${trigger} does not change rollout state`);
  const labels = obj(body, 'labels');
  const annotations = obj(body, 'annotations');
  const meta = (key: string): string | undefined => str(labels, key) ?? str(annotations, key);
  const name = str(body, 'name') ?? 'application';
  const rolloutId = meta(keys.rolloutKey);
  if (!rolloutId) throw badRequest(`labels: ${name} has no label or annotation ${keys.rolloutKey} naming its rollout`);
  const wave = meta(keys.waveKey);
  if (!wave) throw badRequest(`labels: ${name} has no label or annotation ${keys.waveKey} naming its wave`);
  const destination = obj(body, 'destination');
  const cluster = meta(keys.clusterKey) ?? str(body, 'cluster') ?? str(destination, 'name') ?? hostOf(str(destination, 'server'));
  if (!cluster) throw badRequest(`cluster: ${name} has no label ${keys.clusterKey}, "cluster" field or destination`);
  const revision = str(body, 'revision') ?? null;
  const at = timeOf(body && (body as Record<string, unknown>).at);
  return {
    events: [
      {
        // the notification controller sends each trigger once per revision and retries on 5xx
        eventId: `argo:${str(body, 'source') ?? 'argo'}:${rolloutId}:${cluster}:${trigger}:${revision ?? ''}:${at ?? ''}`,
        type,
        rolloutId,
        service: meta('app.kubernetes.io/name') ?? null,
        version: revision,
        wave,
        clusters: [cluster],
        ...(at === undefined ? {} : { at }),
      },
    ],
  };
}

function hostOf(server: string | undefined): string | undefined {
  if (!server) return undefined;
  try {
    return new URL(server).hostname;
  } catch {
    return server;
  }
}
