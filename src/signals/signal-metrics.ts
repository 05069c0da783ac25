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
    monotonic(registry, 'wavewatch_signal_series_evicted_total', 'Raw series forgotten after going idle.', () => store.stats().evictedSeries);
    monotonic(registry, 'wavewatch_signal_clusters_evicted_total', 'Clusters forgotten after sending nothing for the signal window.', () => store.stats().evictedClusters);
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

/** a counter that follows a total the store keeps */
function monotonic(registry: Registry, name: string, help: string, read: () => number): void {
  let reported = 0;
  const counter = new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const total = read();
      if (total > reported) counter.inc(total - reported);
      reported = total;
    },
  });
}
