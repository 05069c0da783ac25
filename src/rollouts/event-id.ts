import { createHash } from 'node:crypto';
import type { DeployEventInput } from './deploy-event.schema.js';

// An event sent without eventId gets one derived from its content as sent (with `at` as
// given, or absent), so a retried identical POST is idempotent too. Two identical events
// without `at` are the same statement about a rollout, so counting the second as a
// duplicate loses nothing.
export function derivedEventId(e: DeployEventInput): string {
  const content = [e.type, e.rolloutId, e.service ?? null, e.version ?? null, e.wave ?? null, e.clusters ?? [], e.plan ?? null, e.at ?? null];
  return `sha256:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`;
}
