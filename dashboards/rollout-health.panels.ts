import { ThresholdsMode, ThresholdsConfigBuilder, MappingType, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, BigValueColorMode, ReduceDataOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { instantQuery, rangeQuery } from './dashboard-queries.js';

// The gate holds a wave whose predicted busy-seat utilisation exceeds this headroom.
export const HEADROOM_UTILIZATION = 0.8;

const rollout = 'rollout=~"$rollout"';
const cluster = 'cluster=~"$cluster"';

// One number per rollout (0 proceed, 1 hold, 2 rollback) so stat and timeline panels can
// colour it; the gauge itself has one 0/1 series per verdict.
const verdictCode = ['proceed', 'hold', 'rollback']
  .map((verdict, code) => `(wavewatch_rollout_verdict{${rollout}, verdict="${verdict}"} == 1) * ${code}`)
  .join(' or ');
export const VERDICT_EXPR = `max by (rollout) (${verdictCode})`;

const verdictMappings: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      '0': { text: 'proceed', color: 'green', index: 0 },
      '1': { text: 'hold', color: 'orange', index: 1 },
      '2': { text: 'rollback', color: 'red', index: 2 },
    },
  },
];

/** absolute thresholds from (value, colour) pairs; the first value is null (base) */
export function steps(...pairs: [number | null, string][]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(pairs.map(([value, color]) => ({ value, color })));
}

export function verdictStat(): StatPanel {
  return new StatPanel()
    .title('Verdict per rollout')
    .description('What the gate answers now: proceed, hold or rollback (GET /api/v1/rollouts/{id}/gate).')
    .withTarget(instantQuery(VERDICT_EXPR, '{{rollout}}'))
    .mappings(verdictMappings)
    .thresholds(steps([null, 'green'], [1, 'orange'], [2, 'red']))
    .colorMode(BigValueColorMode.Background)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .height(5)
    .span(8);
}

export function verdictTimeline(): StateTimelinePanel {
  return new StateTimelinePanel()
    .title('Verdict history')
    .withTarget(rangeQuery(VERDICT_EXPR, '{{rollout}}'))
    .mappings(verdictMappings)
    .thresholds(steps([null, 'green'], [1, 'orange'], [2, 'red']))
    .height(5)
    .span(10);
}

/** a table of one instant query's series, their labels as columns */
export function instantTable(title: string, description: string, expr: string, legend: string): TablePanel {
  return new TablePanel().title(title).description(description).withTarget(instantQuery(expr, legend).format(PromQueryFormat.Table));
}

export function firingAlertsTable(): TablePanel {
  return instantTable('Firing alerts', 'Alerts wavewatch holds in the firing state, by name and severity.', 'sum by (alertname, severity) (wavewatch_alerts_firing) > 0', '{{alertname}}')
    .height(5)
    .span(6);
}

// Utilisation and error ratios share one look: a 0..n ratio over time, half the row wide.
function ratioTimeseries(title: string, description: string, expr: string, legend: string): TimeseriesPanel {
  return new TimeseriesPanel()
    .title(title)
    .description(description)
    .withTarget(rangeQuery(expr, legend))
    .unit('percentunit')
    .min(0)
    .height(8)
    .span(12);
}

const dashedThresholds = new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed);

export function nextWaveUtilization(): TimeseriesPanel {
  return ratioTimeseries(
    `Next wave: predicted utilisation vs ${HEADROOM_UTILIZATION} headroom`,
    'Busy-seat utilisation the next wave clusters are predicted to reach, fitted on the waves so far against cluster size.',
    `wavewatch_next_wave_predicted_utilization{${rollout}, ${cluster}}`,
    '{{rollout}} {{cluster}}',
  )
    .thresholds(steps([null, 'green'], [HEADROOM_UTILIZATION, 'red']))
    .thresholdsStyle(dashedThresholds);
}

export function clusterUtilization(): TimeseriesPanel {
  return ratioTimeseries(
    'Cluster API-server utilisation',
    'API-server busy seats divided by seat capacity (APF nominal seats or max-inflight).',
    `wavewatch_cluster_utilization{${cluster}}`,
    '{{cluster}}',
  )
    .thresholds(steps([null, 'green'], [HEADROOM_UTILIZATION, 'orange'], [1, 'red']))
    .thresholdsStyle(dashedThresholds);
}

export function dnsProjectedErrorRatio(): TimeseriesPanel {
  return ratioTimeseries(
    'DNS: projected client-visible error ratio',
    'SERVFAIL ratio clients will see once cached records expire: the failure behind the cache.',
    `wavewatch_dns_projected_error_ratio{${cluster}}`,
    '{{cluster}}',
  );
}

export function dnsTimeToImpact(
  expr = `min by (cluster) (wavewatch_dns_time_to_impact_seconds{${cluster}})`,
  title = 'DNS: time to client impact',
): StatPanel {
  return new StatPanel()
    .title(title)
    .description('Seconds until the visible DNS error ratio crosses the alert threshold as cached records expire; no value when nothing fails.')
    .withTarget(instantQuery(expr, '{{cluster}}'))
    .unit('s')
    .thresholds(steps([null, 'red'], [300, 'orange'], [900, 'green']))
    .colorMode(BigValueColorMode.Background)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .noValue('no failure')
    .height(8)
    .span(12);
}
