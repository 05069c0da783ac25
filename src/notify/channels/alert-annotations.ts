import { formatDuration } from './message-format.js';
import type { RenderInput } from './render-input.js';

// Annotations as Alertmanager receivers expect them: the alert's own, with links made absolute.
export function alertAnnotations(input: RenderInput): Record<string, string> {
  const a = input.alert;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(a.annotations)) {
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  if (input.links.runbookUrl) out.runbook_url = input.links.runbookUrl;
  if (input.links.dashboardUrl) out.dashboard_url = input.links.dashboardUrl;
  if (input.links.rolloutPageUrl) out.rollout_page_url = input.links.rolloutPageUrl;
  if (a.timeToImpactSeconds !== null) out.time_to_impact = formatDuration(a.timeToImpactSeconds * 1000);
  return out;
}

export function generatorUrl(input: RenderInput): string {
  if (input.externalUrl) {
    const url = new URL('api/v1/alerts', input.externalUrl.endsWith('/') ? input.externalUrl : `${input.externalUrl}/`);
    if (input.alert.rolloutId) url.searchParams.set('rolloutId', input.alert.rolloutId);
    return url.toString();
  }
  return input.links.dashboardUrl ?? '';
}
