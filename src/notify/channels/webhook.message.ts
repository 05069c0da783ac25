import { alertAnnotations, generatorUrl } from './alert-annotations.js';
import { alertLabels } from './alert-labels.js';
import type { RenderInput } from './render-input.js';

/** Alertmanager's webhook payload, version 4, so existing receivers work unchanged. */
export interface WebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: Array<{
    status: 'firing' | 'resolved';
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

const quoted = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

export function renderWebhookMessage(input: RenderInput): WebhookMessage {
  const a = input.alert;
  const status = input.kind === 'resolved' ? 'resolved' : 'firing';
  const labels = alertLabels(a);
  const annotations = alertAnnotations(input);
  const groupLabels = { alertname: a.name, fingerprint: a.fingerprint };
  return {
    version: '4',
    groupKey: `{}/{route=${JSON.stringify(input.routeKey)}}:${quoted(groupLabels)}`,
    truncatedAlerts: 0,
    status,
    receiver: 'wavewatch',
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: input.externalUrl ?? '',
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: a.startsAt,
        endsAt: status === 'resolved' ? (a.endsAt ?? new Date(input.sentAtMs).toISOString()) : ZERO_TIME,
        generatorURL: generatorUrl(input),
        fingerprint: a.fingerprint,
      },
    ],
  };
}
