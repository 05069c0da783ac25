import { createHash } from 'node:crypto';
import type { AlertView } from '../../alerts/alert.types.js';
import { alertLabels } from '../channels/alert-labels.js';

// groupBy keys name alert fields or labels; messages show them under their label names
// (rolloutId is the label `rollout`). '...' groups by every label: one alert per group.
const LABEL_OF: Readonly<Record<string, string>> = { rolloutId: 'rollout' };

export function groupLabels(groupBy: readonly string[], alert: AlertView): Record<string, string> {
  const labels = alertLabels(alert);
  if (groupBy.includes('...')) return labels;
  const out: Record<string, string> = {};
  for (const key of groupBy) {
    const name = LABEL_OF[key] ?? key;
    const value = labels[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

/** Stable id of a group within a route: the sorted group labels, hashed. */
export function groupKey(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}
