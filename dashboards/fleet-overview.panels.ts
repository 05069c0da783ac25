import { MappingType, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { BarGaugeDisplayMode, VisibilityMode, VizOrientation } from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { instantQuery, rangeQuery } from './dashboard-queries.js';
import { HEADROOM_UTILIZATION, steps } from './rollout-health.panels.js';

// Every exported cluster at a glance. wavewatch exports the clusters of active rollouts and
// then the riskiest others (web.metricsClusters), so "every" is bounded by design.

const cluster = 'cluster=~"$cluster"';

export function riskBars(): BarGaugePanel {
  return new BarGaugePanel()
    .title('Clusters by risk now (1 = at a limit)')
    .description('Highest of utilisation ÷ headroom and DNS error ratio (visible or projected) ÷ alert threshold, riskiest first.')
    .withTarget(instantQuery(`sort_desc(max by (cluster) (wavewatch_cluster_risk{${cluster}}))`, '{{cluster}}'))
    .orientation(VizOrientation.Horizontal)
    .displayMode(BarGaugeDisplayMode.Basic)
    .min(0)
    .max(2)
    .decimals(2)
    .thresholds(steps([null, 'green'], [0.75, 'orange'], [1, 'red']))
    .height(20)
    .span(8);
}

export function utilisationTimeline(): StateTimelinePanel {
  return new StateTimelinePanel()
    .title('API-server utilisation per cluster')
    .description(`Busy seats ÷ seat capacity: green below the ${HEADROOM_UTILIZATION} headroom, orange to capacity, red over it.`)
    .withTarget(rangeQuery(`max by (cluster) (wavewatch_cluster_utilization{${cluster}})`, '{{cluster}}'))
    .unit('percentunit')
    .thresholds(steps([null, 'green'], [HEADROOM_UTILIZATION, 'orange'], [1, 'red']))
    .showValue(VisibilityMode.Never)
    .mergeValues(false)
    .height(10)
    .span(16);
}

const dnsStates: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      '0': { text: 'ok', color: 'green', index: 0 },
      '1': { text: 'failing behind the cache', color: 'orange', index: 1 },
      '2': { text: 'visible to clients', color: 'red', index: 2 },
    },
  },
];

export function dnsStateTimeline(): StateTimelinePanel {
  return new StateTimelinePanel()
    .title('DNS state per cluster')
    .description('ok; failing behind the cache (cache misses fail while hits still answer: clients do not see it yet); visible to clients (SERVFAIL over the threshold).')
    .withTarget(rangeQuery(`max by (cluster) (wavewatch_dns_state{${cluster}})`, '{{cluster}}'))
    .mappings(dnsStates)
    .thresholds(steps([null, 'green'], [1, 'orange'], [2, 'red']))
    .showValue(VisibilityMode.Never)
    .height(10)
    .span(16);
}
