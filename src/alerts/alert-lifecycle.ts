import type { AlertAnnotations, AlertName, AlertState, Severity } from './alert.types.js';

// The alert lifecycle as a pure function of event time: the same sequence of evaluations
// gives the same alerts, live or replayed.

/** A condition that holds at the evaluation time (one per analysis finding). */
export interface AlertCondition {
  fingerprint: string;
  name: AlertName;
  severity: Severity;
  rolloutId: string | null;
  wave: string | null;
  clusters: string[];
  /** event time the condition was first met */
  onsetMs: number;
  timeToImpactSeconds: number | null;
  labels: Record<string, string>;
  annotations: AlertAnnotations;
  figures: Record<string, number>;
}

export interface AlertRecord extends AlertCondition {
  id: string;
  state: AlertState;
  startsAtMs: number;
  endsAtMs: number | null;
  /** event time of the last evaluation at which the condition held */
  lastSeenMs: number;
  /** evaluations at which the condition held */
  heldSteps: number;
  /** consecutive evaluations without the condition */
  clearSteps: number;
}

export interface LifecycleOptions {
  /** evaluations a condition must hold before it fires (0: fires at once; analysis already demands evidence) */
  pendingSteps: number;
  /**
   * Consecutive evaluations without the condition before the alert resolves (no flapping):
   * the resolve window. A condition back inside it continues the episode (same id, no page).
   */
  resolveAfterSteps: number;
  /** an alert resolves only once it has fired this long since its start (event time); default 0 */
  minFiringMs?: number;
  /**
   * Fingerprints of alerts raised before a restart, while the signal windows are still
   * refilling: their absent condition means "not enough data yet", not "cleared", so they
   * neither count clear steps nor resolve.
   */
  holdOpen?: ReadonlySet<string>;
}

export interface LifecycleStep {
  /** records whose persisted state changed (new, updated, resolved) */
  changed: AlertRecord[];
  transitions: { record: AlertRecord; transition: 'firing' | 'resolved' }[];
}

export function stepLifecycle(
  open: readonly AlertRecord[],
  conditions: readonly AlertCondition[],
  nowMs: number,
  options: LifecycleOptions,
  newId: () => string,
): LifecycleStep {
  const changed: AlertRecord[] = [];
  const transitions: LifecycleStep['transitions'] = [];
  const byFingerprint = new Map(open.map((r) => [r.fingerprint, r]));
  const seen = new Set<string>();

  for (const condition of conditions) {
    if (seen.has(condition.fingerprint)) continue;
    seen.add(condition.fingerprint);
    const existing = byFingerprint.get(condition.fingerprint);
    if (!existing) {
      const fires = options.pendingSteps === 0;
      const record: AlertRecord = {
        ...condition,
        id: newId(),
        state: fires ? 'firing' : 'pending',
        startsAtMs: condition.onsetMs,
        endsAtMs: null,
        lastSeenMs: nowMs,
        heldSteps: 1,
        clearSteps: 0,
      };
      changed.push(record);
      if (fires) transitions.push({ record, transition: 'firing' });
      continue;
    }
    // Keep the original start; refresh the figures and descriptions.
    const heldSteps = existing.heldSteps + 1;
    const promote = existing.state === 'pending' && heldSteps > options.pendingSteps;
    const record: AlertRecord = {
      ...existing,
      ...condition,
      id: existing.id,
      startsAtMs: Math.min(existing.startsAtMs, condition.onsetMs),
      state: promote ? 'firing' : existing.state,
      endsAtMs: null,
      lastSeenMs: nowMs,
      heldSteps,
      clearSteps: 0,
    };
    changed.push(record);
    if (promote) transitions.push({ record, transition: 'firing' });
  }

  for (const record of open) {
    if (seen.has(record.fingerprint)) continue;
    if (options.holdOpen?.has(record.fingerprint)) continue;
    const clearSteps = record.clearSteps + 1;
    if (record.state === 'pending') {
      // A pending alert that clears never fired: drop it without a notification.
      changed.push({ ...record, state: 'resolved', endsAtMs: nowMs, clearSteps });
      continue;
    }
    const firedLongEnough = nowMs - record.startsAtMs >= (options.minFiringMs ?? 0);
    if (clearSteps >= options.resolveAfterSteps && firedLongEnough) {
      const resolved: AlertRecord = { ...record, state: 'resolved', endsAtMs: record.lastSeenMs, clearSteps };
      changed.push(resolved);
      transitions.push({ record: resolved, transition: 'resolved' });
    } else {
      changed.push({ ...record, clearSteps });
    }
  }
  return { changed, transitions };
}
