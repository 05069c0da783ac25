import type { AlertTransition } from '../../alerts/alert.types.js';
import type { RolloutHealth } from '../../analysis/analysis.types.js';
import type { DeployEvent } from '../../rollouts/rollout.types.js';
import { episodeDuration, listWithMore, truncate } from '../channels/message-format.js';
import { GRAFANA_MAX_TEXT, MAX_CLUSTER_TAGS } from './grafana-annotation.js';

// Tags a dashboard filters on: kind, rollout, wave, and (bounded) clusters.
export function scopeTags(rolloutId: string | null, wave: string | null, clusters: readonly string[]): string[] {
  const tags: string[] = [];
  if (rolloutId) tags.push(`rollout:${rolloutId}`);
  if (wave) tags.push(`wave:${wave}`);
  for (const c of clusters.slice(0, MAX_CLUSTER_TAGS)) tags.push(`cluster:${c}`);
  return tags;
}

const where = (rolloutId: string | null, wave: string | null, clusters: readonly string[]): string =>
  [rolloutId && `rollout ${rolloutId}`, wave && `wave ${wave}`, clusters.length > 0 && `clusters ${listWithMore(clusters, 400)}`].filter(Boolean).join(', ');

export function alertText(t: AlertTransition): string {
  const a = t.alert;
  const head = t.transition === 'resolved' ? `RESOLVED ${a.name} after ${episodeDuration(a)}` : `FIRING ${a.name} (${a.severity})`;
  return truncate([head, a.annotations.summary, where(a.rolloutId, a.wave, a.clusters)].filter(Boolean).join(' — '), GRAFANA_MAX_TEXT);
}

export function deployText(e: DeployEvent): string {
  const what = [e.type.replace(/_/g, ' '), e.wave].filter(Boolean).join(' ');
  const version = [e.service, e.version].filter(Boolean).join(' ');
  return truncate([what, where(e.rolloutId, null, e.clusters), version].filter(Boolean).join(' — '), GRAFANA_MAX_TEXT);
}

export function verdictText(h: RolloutHealth, previous: string | null): string {
  const reasons = h.reasons.slice(0, 3).map((r) => r.message);
  const more = h.reasons.length > 3 ? `and ${h.reasons.length - 3} more` : null;
  const change = previous ? `${previous} → ${h.verdict}` : h.verdict;
  return truncate([`Gate ${change} for rollout ${h.rolloutId}`, ...reasons, more].filter(Boolean).join(' — '), GRAFANA_MAX_TEXT);
}
