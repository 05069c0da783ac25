import type { AlertView } from '../../alerts/alert.types.js';
import type { AppConfig } from '../../config/config.schema.js';
import { rolloutPageUrl } from '../../web/rollout-page-link.js';

export interface AlertLinks {
  dashboardUrl: string | null;
  runbookUrl: string | null;
  /** the rollout's page on wavewatch; absolute only when notify.externalUrl is set */
  rolloutPageUrl?: string | null;
}

type LinkConfig = Pick<AppConfig['notify'], 'grafanaUrl' | 'runbookUrl'> & { externalUrl?: string | undefined };

const HOUR_MS = 3600_000;

// grafanaUrl is the rollout-health dashboard URL; the link narrows it to the alert's rollout,
// clusters and time range (event time, 30 min before the start).
function dashboardUrl(alert: AlertView, base: string | undefined): string | null {
  if (!base) return null;
  const url = new URL(base);
  if (alert.rolloutId) url.searchParams.set('var-rollout', alert.rolloutId);
  for (const cluster of alert.clusters.slice(0, 20)) url.searchParams.append('var-cluster', cluster);
  const from = Date.parse(alert.startsAt) - HOUR_MS / 2;
  if (Number.isFinite(from)) url.searchParams.set('from', String(from));
  const to = alert.endsAt ? Date.parse(alert.endsAt) + HOUR_MS / 4 : NaN;
  url.searchParams.set('to', Number.isFinite(to) ? String(to) : 'now');
  return url.toString();
}

// annotations.runbook_url wins when absolute; a relative one (or none: the alert name) is
// resolved against the configured runbook base.
function runbookUrl(alert: AlertView, base: string | undefined): string | null {
  const annotated = alert.annotations.runbook_url?.trim() ?? '';
  if (/^https?:\/\//i.test(annotated)) return annotated;
  if (!base) return null;
  const baseWithSlash = base.endsWith('/') ? base : `${base}/`;
  try {
    return new URL(annotated || alert.name, baseWithSlash).toString();
  } catch {
    return null;
  }
}

export function alertLinks(alert: AlertView, config: LinkConfig): AlertLinks {
  const rolloutPage = alert.rolloutId && config.externalUrl ? rolloutPageUrl(alert.rolloutId, config.externalUrl) : null;
  return { dashboardUrl: dashboardUrl(alert, config.grafanaUrl), runbookUrl: runbookUrl(alert, config.runbookUrl), rolloutPageUrl: rolloutPage };
}
