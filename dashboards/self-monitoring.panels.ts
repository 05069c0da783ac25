import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { rangeQuery } from './dashboard-queries.js';

// wavewatch watching itself: is data arriving, is it decoded in time, do alerts get out.

function timeseries(title: string, unit: string): TimeseriesPanel {
  return new TimeseriesPanel().title(title).unit(unit).min(0).height(7).span(8);
}

export function ingestSamples(): TimeseriesPanel {
  return timeseries('Ingest samples/s by outcome', 'short').withTarget(
    rangeQuery('sum by (outcome) (rate(wavewatch_ingest_samples_total[5m]))', '{{outcome}}'),
  );
}

export function ingestRejections(): TimeseriesPanel {
  return timeseries('Ingest rejections/s by reason', 'reqps').withTarget(
    rangeQuery('sum by (reason) (rate(wavewatch_ingest_rejections_total[5m]))', '{{reason}}'),
  );
}

export function decodeLatency(): TimeseriesPanel {
  const quantile = (q: number, refId: string) =>
    rangeQuery(`histogram_quantile(${q}, sum by (le) (rate(wavewatch_ingest_decode_seconds_bucket[5m])))`, `p${q * 100}`, refId);
  return timeseries('Remote-write decode latency', 's').withTarget(quantile(0.5, 'A')).withTarget(quantile(0.99, 'B'));
}

export function notifications(): TimeseriesPanel {
  return timeseries('Notifications/s by outcome', 'short').withTarget(
    rangeQuery('sum by (channel, outcome) (rate(wavewatch_notifications_total[5m]))', '{{channel}} {{outcome}}'),
  );
}

export function notifyBacklog(): TimeseriesPanel {
  return timeseries('Notification outbox and queue depth', 'short')
    .withTarget(rangeQuery('sum(wavewatch_notify_outbox_depth)', 'outbox', 'A'))
    .withTarget(rangeQuery('sum(wavewatch_notify_queue_depth)', 'queue', 'B'));
}

export function watermarkLag(): TimeseriesPanel {
  return timeseries('Signal watermark lag', 's')
    .description('Wall clock minus the newest sample time: grows when remote_write stops or falls behind (large while replaying history).')
    .withTarget(rangeQuery('time() - max(wavewatch_signal_watermark_timestamp_seconds)', 'lag'));
}
