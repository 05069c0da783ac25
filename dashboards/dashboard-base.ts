import { DashboardBuilder, DashboardCursorSync } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable } from './rollout-health.variables.js';

// What every wavewatch dashboard shares: UTC (event times are UTC), the last 3 h, a shared
// crosshair, 30 s refresh and the Prometheus picked in the `datasource` variable.
export function wavewatchDashboard(title: string, uid: string, description: string, tags: string[]): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(tags)
    .editable()
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('utc')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable());
}
