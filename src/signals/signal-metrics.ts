import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { SignalStore } from './signal-store.js';

// The store's own health, read from its counters at scrape time: nothing on the hot path.
@Injectable()
export class SignalMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, store: SignalStore) {
    new Gauge({
      name: 'wavewatch_signal_active_series',
      help: 'Raw series whose state the signal store holds.',
      registers: [registry],
      collect() {
        this.set(store.stats().activeSeries);
      },
    });
    new Gauge({
      name: 'wavewatch_signal_clusters',
      help: 'Clusters with signal windows.',
      registers: [registry],
      collect() {
        this.set(store.stats().clusters);
      },
    });
    let reported = 0;
    const evicted = new Counter({
      name: 'wavewatch_signal_series_evicted_total',
      help: 'Raw series forgotten after going idle.',
      registers: [registry],
      collect() {
        const total = store.stats().evictedSeries;
        if (total > reported) evicted.inc(total - reported);
        reported = total;
      },
    });
    let reportedClusters = 0;
    const evictedClusters = new Counter({
      name: 'wavewatch_signal_clusters_evicted_total',
      help: 'Clusters forgotten after sending nothing for the signal window.',
      registers: [registry],
      collect() {
        const total = store.stats().evictedClusters;
        if (total > reportedClusters) evictedClusters.inc(total - reportedClusters);
        reportedClusters = total;
      },
    });
    new Gauge({
      name: 'wavewatch_signal_window_bytes',
      help: 'Bytes of the signal windows (accumulators and signal rings) over all clusters.',
      registers: [registry],
      collect() {
        this.set(store.windowBytes());
      },
    });
    new Gauge({
      name: 'wavewatch_signal_watermark_timestamp_seconds',
      help: 'Newest sample time over all clusters (event time), 0 before any data.',
      registers: [registry],
      collect() {
        this.set((store.stats().watermarkMs ?? 0) / 1000);
      },
    });
  }
}
