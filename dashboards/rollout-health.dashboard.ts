import { DashboardLinkBuilder, DashboardLinkType, RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { wavewatchDashboard } from './dashboard-base.js';
import { deployEventsAnnotation } from './deploy-events.annotation.js';
import { alertsAnnotation, waveStartsAnnotation, wavesAnnotation } from './rollout.annotations.js';
import { clusterUtilization, firingAlertsTable, nextWaveUtilization, verdictStat, verdictTimeline } from './rollout-health.panels.js';
import { clusterVariable, rolloutVariable, wavewatchUrlVariable } from './rollout-health.variables.js';
import { apfRejections, controlSeats, dnsVisibleHiddenProjected, rolloutPageLink, waveSeats, waveTable, waveTimeToImpact, WAVEWATCH_URL_VARIABLE } from './rollout-waves.panels.js';
import { decodeLatency, ingestRejections, ingestSamples, notifications, notifyBacklog, watermarkLag } from './self-monitoring.panels.js';

// Stable: alert links and provisioning refer to the dashboard by this uid.
export const ROLLOUT_HEALTH_UID = 'wavewatch-rollout-health';

export function rolloutHealthDashboard(): Dashboard {
  return wavewatchDashboard(
    'wavewatch: rollout health',
    ROLLOUT_HEALTH_UID,
    'One rollout told wave by wave: which clusters each wave reached when, their API-server work and DNS behind the cache against the clusters not reached yet, the next wave against its headroom, alerts and verdicts.',
    ['wavewatch', 'rollouts'],
  )
    .withVariable(rolloutVariable())
    .withVariable(clusterVariable())
    .withVariable(wavewatchUrlVariable())
    .link(
      new DashboardLinkBuilder('Rollout page')
        .type(DashboardLinkType.Link)
        .url(`\${${WAVEWATCH_URL_VARIABLE}}/rollouts/\${rollout}`)
        .tooltip('wavewatch\u2019s page for the selected rollout')
        .icon('external link')
        .targetBlank(true),
    )
    .link(new DashboardLinkBuilder('Fleet overview').type(DashboardLinkType.Dashboards).tags(['fleet']).keepTime(true))
    .annotation(deployEventsAnnotation())
    .annotation(wavesAnnotation())
    .annotation(waveStartsAnnotation())
    .annotation(alertsAnnotation())
    .withRow(new RowBuilder('Rollout'))
    .withPanel(verdictStat())
    .withPanel(verdictTimeline())
    .withPanel(firingAlertsTable())
    .withPanel(rolloutPageLink())
    .withPanel(waveTable())
    .withRow(new RowBuilder('Control plane: wave clusters beside the controls'))
    .withPanel(waveSeats())
    .withPanel(controlSeats())
    .withPanel(apfRejections())
    .withRow(new RowBuilder('DNS behind the cache'))
    .withPanel(dnsVisibleHiddenProjected())
    .withPanel(waveTimeToImpact())
    .withRow(new RowBuilder('Next wave'))
    .withPanel(nextWaveUtilization())
    .withPanel(clusterUtilization())
    .withRow(new RowBuilder('wavewatch self-monitoring'))
    .withPanel(ingestSamples())
    .withPanel(ingestRejections())
    .withPanel(decodeLatency())
    .withPanel(notifications())
    .withPanel(notifyBacklog())
    .withPanel(watermarkLag())
    .build();
}
