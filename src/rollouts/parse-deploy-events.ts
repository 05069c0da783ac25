import { badRequest, DomainError } from '../common/domain-error.js';
import { deployEventSchema, type DeployEventLimits } from './deploy-event.schema.js';
import { derivedEventId } from './event-id.js';
import type { DeployEvent } from './rollout.types.js';
import { validationMessage } from './validation-message.js';

export type NewDeployEvent = Omit<DeployEvent, 'seq'>;

export interface ParsedDeployEvent {
  /** where the event sits in the body, for error messages: "events[2]" or "" */
  readonly path: string;
  readonly event: NewDeployEvent;
}

// A JSON body holding one event or an array of them; the whole request is rejected when any
// event is bad, so a sender never has to work out which half was stored.
export function parseDeployEvents(body: unknown, limits: DeployEventLimits, receivedAtMs: number): ParsedDeployEvent[] {
  const isArray = Array.isArray(body);
  const items: unknown[] = isArray ? body : [body];
  if (isArray && items.length === 0) throw badRequest('events: expected at least one event');
  if (items.length > limits.maxEventsPerRequest) {
    throw new DomainError('payload_too_large', `events: at most ${limits.maxEventsPerRequest} events per request, got ${items.length}`);
  }
  const schema = deployEventSchema(limits);
  return items.map((item, i) => {
    const path = isArray ? `events[${i}]` : '';
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw badRequest(`${path || 'body'}: expected a deploy event object`);
    }
    const result = schema.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw badRequest(issue ? validationMessage(issue, item, path) : `${path || 'body'}: invalid`);
    }
    const e = result.data;
    return {
      path,
      event: {
        eventId: e.eventId ?? derivedEventId(e),
        type: e.type,
        rolloutId: e.rolloutId,
        service: e.service ?? null,
        version: e.version ?? null,
        wave: e.wave ?? null,
        clusters: e.clusters ?? [],
        plan: e.plan ?? null,
        atMs: e.at === undefined ? receivedAtMs : Date.parse(e.at),
      },
    };
  });
}
