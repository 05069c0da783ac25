import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceRef } from './dashboard-queries.js';

// Waves and alerts on every time panel. Grafana's Prometheus annotations turn a series that
// is present on consecutive steps into one region, so "in progress" and "firing" gauges
// become regions from their first to their last scrape.

function prometheusAnnotation(name: string, color: string, expr: string, title: string, text: string): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder().name(name).datasource(datasourceRef).enable(true).iconColor(color).expr(expr).step('30s').titleFormat(title).textFormat(text);
}

export function wavesAnnotation(): AnnotationQueryBuilder {
  return prometheusAnnotation('Waves', 'purple', 'wavewatch_rollout_wave_in_progress{rollout=~"$rollout"} == 1', '{{rollout}} {{wave}}', 'in progress on {{clusters}}');
}

// At the wave's event time (the gauge's value), so a replay of history lines up too.
export function waveStartsAnnotation(): AnnotationQueryBuilder {
  return prometheusAnnotation('Wave starts', 'blue', 'max by (rollout, wave, clusters) (wavewatch_rollout_wave_started_timestamp_seconds{rollout=~"$rollout"}) * 1000', '{{rollout}} {{wave}} started', 'clusters: {{clusters}}').useValueForTime(true);
}

export function alertsAnnotation(): AnnotationQueryBuilder {
  return prometheusAnnotation('Alerts', 'red', 'wavewatch_alert_active{rollout=~"$rollout|"} == 1', '{{alertname}} ({{severity}})', '{{clusters}}');
}
