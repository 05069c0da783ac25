import { DashboardLinkBuilder, DashboardLinkType, RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { wavewatchDashboard } from './dashboard-base.js';
import { dnsStateTimeline, riskBars, utilisationTimeline } from './fleet-overview.panels.js';
import { alertsAnnotation } from './rollout.annotations.js';
import { dnsProjectedErrorRatio, dnsTimeToImpact, firingAlertsTable } from './rollout-health.panels.js';
import { clusterVariable } from './rollout-health.variables.js';

export const FLEET_OVERVIEW_UID = 'wavewatch-fleet-overview';

export function fleetOverviewDashboard(): Dashboard {
  return wavewatchDashboard(
    'wavewatch: fleet overview',
    FLEET_OVERVIEW_UID,
    'Every exported cluster\u2019s API-server utilisation and DNS state at a glance, riskiest first.',
    ['wavewatch', 'fleet'],
  )
    .withVariable(clusterVariable())
    .link(new DashboardLinkBuilder('Rollout health').type(DashboardLinkType.Dashboards).tags(['rollouts']).keepTime(true))
    .annotation(alertsAnnotation())
    .withRow(new RowBuilder('Fleet now'))
    .withPanel(riskBars())
    .withPanel(utilisationTimeline())
    .withPanel(dnsStateTimeline())
    .withRow(new RowBuilder('DNS behind the cache'))
    .withPanel(dnsProjectedErrorRatio())
    .withPanel(dnsTimeToImpact())
    .withRow(new RowBuilder('Alerts'))
    .withPanel(firingAlertsTable())
    .build();
}
