import { fleetOverviewDashboard } from '../../dashboards/fleet-overview.dashboard.js';
import { rolloutHealthDashboard } from '../../dashboards/rollout-health.dashboard.js';

// The dashboards as Grafana reads them (its JSON), reduced to what the dashboard
// tests look at: panels, variables and the PromQL of panels and annotations.

export interface PanelJson {
  type: string;
  title?: string;
  targets?: { expr?: string; datasource?: { type?: string; uid?: string } }[];
}

export interface DashboardJson {
  uid: string;
  panels: PanelJson[];
  templating: { list: { name: string; type: string; query?: unknown; allValue?: string }[] };
  annotations: { list: { name: string; expr?: string; datasource?: { uid?: string } }[] };
}

export interface DashboardExpression {
  title: string;
  expr: string;
}

export const builtDashboard = JSON.parse(JSON.stringify(rolloutHealthDashboard())) as DashboardJson;
export const builtFleetDashboard = JSON.parse(JSON.stringify(fleetOverviewDashboard())) as DashboardJson;
export const builtDashboards: readonly DashboardJson[] = [builtDashboard, builtFleetDashboard];

/** every panel and annotation query of every dashboard, titled "dashboard uid: panel" */
export function everyExpression(): DashboardExpression[] {
  return builtDashboards.flatMap((d) => [...panelExpressions(d), ...annotationExpressions(d)].map((e) => ({ title: `${d.uid}: ${e.title}`, expr: e.expr })));
}

export function panelExpressions(d: DashboardJson = builtDashboard): DashboardExpression[] {
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title ?? p.type, expr: t.expr ?? '' })));
}

export function annotationExpressions(d: DashboardJson = builtDashboard): DashboardExpression[] {
  return d.annotations.list.flatMap((a) => (a.expr ? [{ title: a.name, expr: a.expr }] : []));
}

// With the variables at "All" (.*), as a dashboard opened without parameters queries.
export function withAllSelected(expr: string): string {
  return expr.replaceAll('$rollout', '.*').replaceAll('$cluster', '.*');
}
