import type { AlertView } from '../../alerts/alert.types.js';
import { groupStatus } from '../grouping/group-message.js';
import { alertAnnotations, generatorUrl } from './alert-annotations.js';
import { alertLabels } from './alert-labels.js';
import { alertInput, type GroupRenderInput } from './group-render-input.js';

type Status = 'firing' | 'resolved';

/** Alertmanager's webhook payload, version 4, so existing receivers work unchanged. */
export interface WebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: Status;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: Array<{
    status: Status;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }>;
}

// Alertmanager's zero time: what its webhook sends as endsAt of a firing alert.
const ZERO_TIME = '0001-01-01T00:00:00Z';

// Sorted by name, as Alertmanager's group keys (jsonb does not keep key order).
export const sortedLabels = (labels: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const quoted = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

/** The pairs every map shares (Alertmanager's commonLabels / commonAnnotations). */
export function commonPairs(maps: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const [first, ...rest] = maps;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first ?? {})) if (rest.every((m) => m[k] === v)) out[k] = v;
  return out;
}

// One body per group message, like Alertmanager's: every firing alert of the group and the
// ones resolved since the previous message.
export function renderWebhookMessage(input: GroupRenderInput): WebhookMessage {
  const m = input.message;
  const entry = (alert: AlertView, status: Status): WebhookMessage['alerts'][number] => {
    const single = alertInput(input, alert, status);
    return {
      status,
      labels: alertLabels(alert),
      annotations: alertAnnotations(single),
      startsAt: alert.startsAt,
      endsAt: status === 'resolved' ? (alert.endsAt ?? new Date(input.sentAtMs).toISOString()) : ZERO_TIME,
      generatorURL: generatorUrl(single),
      fingerprint: alert.fingerprint,
    };
  };
  const alerts = [...m.firing.map((a) => entry(a, 'firing')), ...m.resolved.map((a) => entry(a, 'resolved'))];
  const groupLabels = sortedLabels(m.groupLabels);
  return {
    version: '4',
    groupKey: `{}/{route=${JSON.stringify(input.routeKey)}}:${quoted(groupLabels)}`,
    truncatedAlerts: 0,
    status: groupStatus(m),
    receiver: 'wavewatch',
    groupLabels,
    commonLabels: commonPairs(alerts.map((a) => a.labels)),
    commonAnnotations: commonPairs(alerts.map((a) => a.annotations)),
    externalURL: input.externalUrl ?? '',
    alerts,
  };
}
