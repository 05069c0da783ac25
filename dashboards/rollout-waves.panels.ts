import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import type { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TextPanel, TextMode } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { rangeQuery } from './dashboard-queries.js';
import { dnsTimeToImpact, instantTable, steps } from './rollout-health.panels.js';

// The rollout story: which wave reached which clusters when, what their API servers and DNS
// did, beside the clusters the rollout has not reached yet (controls).

/** analysis.dnsVisibleThreshold's default: DNS alerts fire when visible SERVFAIL would cross it */
export const DNS_VISIBLE_THRESHOLD = 0.01;

/** the variable holding wavewatch's base URL, for links to the rollout page */
export const WAVEWATCH_URL_VARIABLE = 'wavewatch';

// Clusters of the selected rollouts in one role: "wave" (their wave started) or "control"
// (planned, not reached). A set filter (`and on`): a cluster in two rollouts stays one series.
export function inRole(expr: string, role: 'wave' | 'control'): string {
  return `${expr} and on (cluster) wavewatch_rollout_wave_cluster_info{rollout=~"$rollout", cluster=~"$cluster", role="${role}"}`;
}

function timeseries(title: string, description: string, unit: string, span: number): TimeseriesPanel {
  return new TimeseriesPanel().title(title).description(description).unit(unit).min(0).height(8).span(span);
}

export function rolloutPageLink(): TextPanel {
  return new TextPanel()
    .title('Rollout page')
    .mode(TextMode.Markdown)
    .content(
      [
        `**[Open the rollout page for $rollout](\${${WAVEWATCH_URL_VARIABLE}}/rollouts/$rollout)** — verdict and reasons in plain words, the wave timeline with every gate answer, and per-cluster charts.`,
        '',
        `All rollouts: [\${${WAVEWATCH_URL_VARIABLE}}/](\${${WAVEWATCH_URL_VARIABLE}}/). Set the *wavewatch URL* variable above when wavewatch is not on localhost:8080.`,
      ].join('\n'),
    )
    .height(5)
    .span(24);
}

export function waveTable(): TablePanel {
  return instantTable(
    'Waves: when each reached which clusters',
    'Start of every started wave of the selected rollouts (event time), with its clusters.',
    'max by (rollout, wave, clusters) (wavewatch_rollout_wave_started_timestamp_seconds{rollout=~"$rollout"}) * 1000',
    '{{wave}}',
  )
    .unit('dateTimeAsIso')
    .height(6)
    .span(24);
}

const capacityDashed = [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 6] } }];

function seatsVsCapacity(role: 'wave' | 'control', title: string, description: string): TimeseriesPanel {
  return timeseries(title, description, 'short', 8)
    .withTarget(rangeQuery(inRole('max by (cluster) (wavewatch_cluster_busy_seats)', role), '{{cluster}} busy', 'A'))
    .withTarget(rangeQuery(inRole('max by (cluster) (wavewatch_cluster_capacity_seats)', role), '{{cluster}} capacity', 'B'))
    .overrideByQuery('B', capacityDashed);
}

export function waveSeats(): TimeseriesPanel {
  return seatsVsCapacity('wave', 'Wave clusters: API-server busy seats vs capacity', 'Busy seats (Little\u2019s law over non-long-running requests) of clusters whose wave started; dashed: their seat capacity.');
}

export function controlSeats(): TimeseriesPanel {
  return seatsVsCapacity('control', 'Controls (not reached yet): busy seats vs capacity', 'The same for clusters the rollout has not reached: a change here too is not the rollout\u2019s doing.');
}

export function apfRejections(): TimeseriesPanel {
  return timeseries('APF rejections/s: wave clusters and controls', 'API priority-and-fairness rejections per second.', 'reqps', 8)
    .withTarget(rangeQuery(inRole('max by (cluster) (wavewatch_cluster_apf_rejected_per_second)', 'wave'), 'wave {{cluster}}', 'A'))
    .withTarget(rangeQuery(inRole('max by (cluster) (wavewatch_cluster_apf_rejected_per_second)', 'control'), 'control {{cluster}}', 'B'))
    .overrideByQuery('B', capacityDashed);
}

export function dnsVisibleHiddenProjected(): TimeseriesPanel {
  return timeseries(
    'DNS per wave cluster: visible SERVFAIL vs hidden miss failure vs projected',
    'Visible: SERVFAIL clients see now. Hidden: cache misses that fail while hits still succeed. Projected: what clients will see once cached records expire.',
    'percentunit',
    16,
  )
    .withTarget(rangeQuery(inRole('max by (cluster) (wavewatch_dns_visible_error_ratio)', 'wave'), '{{cluster}} visible', 'A'))
    .withTarget(rangeQuery(inRole('max by (cluster) (wavewatch_dns_miss_failure_ratio)', 'wave'), '{{cluster}} hidden', 'B'))
    .withTarget(rangeQuery(inRole('max by (cluster) (wavewatch_dns_projected_error_ratio)', 'wave'), '{{cluster}} projected', 'C'))
    .overrideByQuery('C', capacityDashed)
    .thresholds(steps([null, 'green'], [DNS_VISIBLE_THRESHOLD, 'red']))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
}

export function waveTimeToImpact(): StatPanel {
  return dnsTimeToImpact(inRole('min by (cluster) (wavewatch_dns_time_to_impact_seconds)', 'wave'), 'DNS: time to client impact (wave clusters)').span(8);
}
