import { createHash } from 'node:crypto';
import type { AlertView } from '../alerts/alert.types.js';
import type { NotifyRouteConfig } from '../config/config.schema.js';
import { alertLabels } from './channels/alert-labels.js';

export type NotifyChannel = NotifyRouteConfig['channel'];
export const NOTIFY_CHANNELS: readonly NotifyChannel[] = ['slack', 'alertmanager', 'webhook'];

export interface NotifyRoute extends NotifyRouteConfig {
  /** stable id of (channel, url): part of the dedup key, so a restart maps rows to the same route */
  key: string;
}

// Only channel and URL make the key: two routes that both match and point at the same
// receiver collapse into one message instead of posting it twice.
export function routeKey(route: { readonly channel: string; readonly url: string }): string {
  return createHash('sha256').update(`${route.channel}\n${route.url}`).digest('hex').slice(0, 12);
}

export function buildRoutes(routes: readonly NotifyRouteConfig[]): NotifyRoute[] {
  const byKey = new Map<string, NotifyRoute>();
  for (const route of routes) {
    const key = routeKey(route);
    if (!byKey.has(key)) byKey.set(key, { ...route, key });
  }
  return [...byKey.values()];
}

export function routeMatches(route: NotifyRouteConfig, alert: AlertView): boolean {
  if (route.matchAlertnames?.length && !route.matchAlertnames.includes(alert.name)) return false;
  if (route.matchSeverities?.length && !route.matchSeverities.includes(alert.severity)) return false;
  if (route.matchLabels) {
    const labels = alertLabels(alert);
    for (const [name, value] of Object.entries(route.matchLabels)) {
      if (labels[name] !== value) return false;
    }
  }
  return true;
}

/** Every distinct receiver an alert goes to; several matching routes to one receiver count once. */
export function matchingRoutes(routes: readonly NotifyRouteConfig[], alert: AlertView): NotifyRoute[] {
  return buildRoutes(routes.filter((r) => routeMatches(r, alert)));
}
