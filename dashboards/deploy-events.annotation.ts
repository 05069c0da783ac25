import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceRef } from './dashboard-queries.js';

// Marks when wavewatch accepted deploy events, so waves line up with the load they caused.
// Arrival time, not the event's `at`: close enough live, early or late in a replay.
export function deployEventsAnnotation(): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Deploy events')
    .datasource(datasourceRef)
    .enable(true)
    .iconColor('blue')
    .expr('sum by (type) (increase(wavewatch_deploy_events_total{outcome="accepted"}[1m])) > 0')
    .step('60s')
    .titleFormat('{{type}}')
    .textFormat('deploy events accepted by wavewatch');
}
