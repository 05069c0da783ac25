import { DashboardBuilder, DashboardCursorSync, RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { deployEventsAnnotation } from './deploy-events.annotation.js';
import {
  clusterUtilization,
  dnsProjectedErrorRatio,
  dnsTimeToImpact,
  firingAlertsTable,
  nextWaveUtilization,
  verdictStat,
  verdictTimeline,
} from './rollout-health.panels.js';
import { clusterVariable, datasourceVariable, rolloutVariable } from './rollout-health.variables.js';
import { decodeLatency, ingestRejections, ingestSamples, notifications, notifyBacklog, watermarkLag } from './self-monitoring.panels.js';

// Stable: alert links and provisioning refer to the dashboard by this uid.
export const ROLLOUT_HEALTH_UID = 'wavewatch-rollout-health';

export function rolloutHealthDashboard(): Dashboard {
  return new DashboardBuilder('wavewatch: rollout health')
    .uid(ROLLOUT_HEALTH_UID)
    .description('Rollout waves against control-plane load and DNS failure behind the cache, and wavewatch itself.')
    .tags(['wavewatch', 'rollouts'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('utc')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable())
    .withVariable(rolloutVariable())
    .withVariable(clusterVariable())
    .annotation(deployEventsAnnotation())
    .withRow(new RowBuilder('Rollouts'))
    .withPanel(verdictStat())
    .withPanel(verdictTimeline())
    .withPanel(firingAlertsTable())
    .withRow(new RowBuilder('Control plane'))
    .withPanel(nextWaveUtilization())
    .withPanel(clusterUtilization())
    .withRow(new RowBuilder('DNS behind the cache'))
    .withPanel(dnsProjectedErrorRatio())
    .withPanel(dnsTimeToImpact())
    .withRow(new RowBuilder('wavewatch self-monitoring'))
    .withPanel(ingestSamples())
    .withPanel(ingestRejections())
    .withPanel(decodeLatency())
    .withPanel(notifications())
    .withPanel(notifyBacklog())
    .withPanel(watermarkLag())
    .build();
}
