import { alertAnnotations, generatorUrl } from './alert-annotations.js';
import { alertLabels } from './alert-labels.js';
import type { RenderInput } from './render-input.js';

/** postableAlert of Alertmanager's API v2 (POST /api/v2/alerts takes an array of them). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

// While firing, endsAt is a lease like Prometheus sends: if wavewatch stops re-sending,
// Alertmanager resolves the alert by itself after a few missed resends.
export function renderAlertmanagerAlerts(input: RenderInput): PostableAlert[] {
  const a = input.alert;
  const endsAt =
    input.kind === 'resolved'
      ? (a.endsAt ?? new Date(input.sentAtMs).toISOString())
      : new Date(input.sentAtMs + 4 * input.resendSeconds * 1000).toISOString();
  return [{ labels: alertLabels(a), annotations: alertAnnotations(input), startsAt: a.startsAt, endsAt, generatorURL: generatorUrl(input) }];
}

/** Accepts either the Alertmanager base URL or the full API path. */
export function alertmanagerEndpoint(url: string): string {
  if (/\/api\/v2\/alerts\/?$/.test(url)) return url;
  return new URL('api/v2/alerts', url.endsWith('/') ? url : `${url}/`).toString();
}
