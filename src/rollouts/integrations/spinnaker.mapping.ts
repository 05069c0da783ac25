import { badRequest } from '../../common/domain-error.js';
import type { DeployEventType } from '../rollout.types.js';
import { ignored, names, obj, str, timeOf, type Mapped } from './integration-event.js';

// Spinnaker Echo events as its REST listener posts them (spinnaker/echo echo-rest
// RestEventListener.java): the event {details: {source, type, application, created},
// content, eventId}, wrapped as {eventName, payload|<fieldName>: event} when `wrap` is set,
// with details and content as JSON strings when `flatten` is set. Orca emits
// orca:pipeline:* and orca:stage:* (spinnaker/orca EchoNotifyingStageListener.groovy).

export interface SpinnakerKeys {
  readonly rolloutParameter: string;
  readonly versionParameter: string;
  readonly waveKey: string;
  readonly clustersKey: string;
}

const pipelineTypes: Readonly<Record<string, DeployEventType>> = {
  'orca:pipeline:starting': 'rollout_started',
  'orca:pipeline:complete': 'rollout_completed',
  'orca:pipeline:failed': 'rollout_aborted',
};

const stageTypes: Readonly<Record<string, DeployEventType>> = {
  'orca:stage:starting': 'cluster_started',
  'orca:stage:complete': 'cluster_completed',
  'orca:stage:failed': 'cluster_failed',
};

export function mapSpinnakerEvent(body: unknown, keys: SpinnakerKeys): Mapped {
  const event = unwrap(body);
  const details = jsonObject(event?.details);
  const content = jsonObject(event?.content);
  if (!event || !details) throw badRequest('body: expected an Echo event {details: {type, ...}, content: {...}}');
  const type = str(details, 'type') ?? '';
  const pipelineType = pipelineTypes[type];
  const stageType = stageTypes[type];
  if (!pipelineType && !stageType) return ignored(`event ${type || '(none)'} does not change rollout state`);
  const execution = obj(content, 'execution');
  const parameters = obj(obj(execution, 'trigger'), 'parameters');
  const executionId = str(content, 'executionId') ?? str(execution, 'id');
  const rolloutId = str(parameters, keys.rolloutParameter) ?? (executionId ? `spinnaker-${executionId}` : undefined);
  if (!rolloutId) throw badRequest(`content.execution.trigger.parameters.${keys.rolloutParameter}: required when the event has no executionId`);
  const context = obj(content, 'context');
  const wave = str(context, keys.waveKey);
  // only stages that name a wave are deploy steps; waits, judgments and webhooks are not
  if (stageType && !wave) return ignored(`stage has no ${keys.waveKey} in its context`);
  const eventId = str(event, 'eventId');
  const at = timeOf(details.created) ?? timeOf(stageType === 'cluster_started' ? content?.startTime : content?.endTime);
  return {
    events: [
      {
        ...(eventId ? { eventId: `spinnaker:${eventId}` } : {}),
        type: (pipelineType ?? stageType)!,
        rolloutId,
        service: str(details, 'application') ?? null,
        version: str(parameters, keys.versionParameter) ?? null,
        wave: wave ?? null,
        // no clusters named: the statement is about every cluster of the wave
        clusters: stageType ? names(context?.[keys.clustersKey] ?? context?.account) : [],
        ...(at ? { at } : {}),
      },
    ],
  };
}

function unwrap(body: unknown): Record<string, unknown> | undefined {
  const top = jsonObject(body);
  if (!top) return undefined;
  if ('details' in top) return top;
  // wrapped: {eventName, <fieldName>: event}; the field name is configurable in Echo
  for (const value of Object.values(top)) {
    const inner = jsonObject(value);
    if (inner && 'details' in inner) return inner;
  }
  return undefined;
}

function jsonObject(value: unknown): Record<string, unknown> | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
