import { encodeWriteRequestV1, snappyCompress } from '../src/ingest/remote-write.codec.js';
import type { RawSeries } from '../src/signals/signal.types.js';
import type { ScrapeTick } from './fleet-simulator.js';

// Writes simulated scrapes into a Prometheus-compatible store by remote_write 1.0, as a
// Prometheus would (sorted labels, one sample per series, snappy): how the pull tests and
// bench fill Prometheus and VictoriaMetrics with history.

const HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
  'User-Agent': 'wavewatch-store-loader/0.1',
};

export class StoreLoader {
  samples = 0;
  private readonly pending: RawSeries[] = [];

  constructor(
    private readonly writeUrl: string,
    private readonly seriesPerRequest = 5000,
  ) {}

  /** queues a tick (stale markers keep their NaN bits); sends full requests */
  async add(tick: ScrapeTick): Promise<void> {
    for (let i = 0; i < tick.labels.length; i++) {
      this.pending.push({ labels: tick.labels[i]!, samples: [{ value: tick.values[i]!, timestampMs: tick.atMs }] });
      if (this.pending.length >= this.seriesPerRequest) await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    const res = await fetch(this.writeUrl, { method: 'POST', headers: HEADERS, body: snappyCompress(encodeWriteRequestV1(batch)) });
    if (!res.ok) throw new Error(`remote_write to ${this.writeUrl} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    this.samples += batch.length;
  }
}
