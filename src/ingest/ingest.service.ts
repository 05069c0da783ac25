import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import { badRequest, DomainError } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type { AppendResult, SeriesSink } from '../signals/signal.types.js';
import { SERIES_SINK } from '../signals/signals.tokens.js';
import type { DecodedWrite, WantsMetric } from './decoded-write.js';
import { IngestMetrics, type IngestDiscardReason } from './ingest.metrics.js';
import type { IngestLimits } from './ingest-limits.js';
import { decodeWriteRequestV1 } from './remote-write-v1.decoder.js';
import { decodeWriteRequestV2 } from './remote-write-v2.decoder.js';
import type { RemoteWriteVersion } from './remote-write-protocol.js';
import { snappyUncompress } from './snappy-block.js';
import { SnappyDecoder } from './snappy-decoder.js';
import { LabelSetCache, labelCacheEntriesLog2 } from './label-set-cache.js';
import { DecodePool } from './decode-pool.js';
import { SampleColumnsBuilder } from './sample-columns.js';
import { Utf8Interner } from './utf8-interner.js';
import { parseTextExposition } from './text-exposition.parser.js';

/** What the v2 response headers report. Ignored samples count as written: a retry would not help. */
export interface WriteSummary {
  readonly samplesWritten: number;
  readonly histogramsWritten: number;
  readonly exemplarsWritten: number;
}

const NOTHING: AppendResult = { accepted: 0, outOfOrder: 0, ignored: 0, missingCluster: 0 };

@Injectable()
export class IngestService implements OnModuleDestroy {
  private inflight = 0;
  private readonly wants: WantsMetric;
  private readonly strings = new Utf8Interner();
  private readonly labelSets: LabelSetCache;
  private resetsCounted = 0;
  /** the in-line decoder's sample columns: each request is delivered before the next is decoded */
  private readonly columns = new SampleColumnsBuilder();
  /** the in-line path's decompression buffer, reused likewise */
  private readonly snappy = new SnappyDecoder();
  /** remote_write 1.0 decoders off the main thread (ingest.workerThreads > 0) */
  private readonly pool: DecodePool | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SERIES_SINK) private readonly sink: SeriesSink,
    private readonly metrics: IngestMetrics,
  ) {
    this.wants = (name) => this.sink.wants(name);
    this.labelSets = new LabelSetCache(labelCacheEntriesLog2(config.ingest.maxActiveSeries), undefined, config.ingest.labelCacheMaxBytes);
    const wantedMetrics = sink.wantedMetrics?.();
    const { workerThreads, maxDecompressedBytes } = config.ingest;
    if (workerThreads > 0 && wantedMetrics !== undefined) {
      const labelCache = { maxEntriesLog2: labelCacheEntriesLog2(config.ingest.maxActiveSeries), maxBytes: config.ingest.labelCacheMaxBytes };
      this.pool = new DecodePool(workerThreads, { wantedMetrics, limits: pickLimits(config.ingest), maxDecompressedBytes, labelCache }, (n) => metrics.labelCacheResets.inc(n));
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
  }

  /** Runs one request (reading and decoding) under the in-flight limit; beyond it senders back off. */
  async admit<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.config.ingest.maxInflightRequests;
    if (this.inflight >= limit) {
      throw new DomainError('overloaded', `more than ingest.maxInflightRequests=${limit} requests in flight`, undefined, 1);
    }
    this.inflight++;
    this.metrics.inflight.inc();
    try {
      return await work();
    } finally {
      this.inflight--;
      this.metrics.inflight.dec();
    }
  }

  async remoteWrite(version: RemoteWriteVersion, body: Buffer, receivedAtMs: number): Promise<WriteSummary> {
    if (this.pool === undefined || version !== 'remote_write_v1') return this.remoteWriteInline(version, body, receivedAtMs);
    const stopTimer = this.metrics.decodeSeconds.startTimer();
    try {
      return this.deliver(await this.pool.decode(body), receivedAtMs);
    } finally {
      stopTimer();
    }
  }

  private remoteWriteInline(version: RemoteWriteVersion, body: Buffer, receivedAtMs: number): WriteSummary {
    const stopTimer = this.metrics.decodeSeconds.startTimer();
    try {
      const raw = snappyUncompress(body, this.config.ingest.maxDecompressedBytes, this.snappy);
      const decoded = version === 'remote_write_v1' ? decodeWriteRequestV1(raw, this.wants, this.config.ingest, this.strings, this.labelSets, this.columns) : decodeWriteRequestV2(raw, this.wants, this.config.ingest);
      return this.deliver(decoded, receivedAtMs);
    } finally {
      stopTimer();
      this.countCacheResets();
    }
  }

  private countCacheResets(): void {
    const resets = this.labelSets.resets - this.resetsCounted;
    if (resets > 0) this.metrics.labelCacheResets.inc(resets);
    this.resetsCounted = this.labelSets.resets;
  }

  importText(body: Buffer, cluster: string | undefined, receivedAtMs: number): WriteSummary {
    const stopTimer = this.metrics.decodeSeconds.startTimer();
    try {
      if (!isUtf8(body)) throw badRequest('body is not valid UTF-8');
      const defaultLabel = cluster === undefined ? undefined : { name: this.config.ingest.clusterLabel, value: cluster };
      const options = { defaultTimestampMs: receivedAtMs, ...(defaultLabel && { defaultLabel }) };
      return this.deliver(parseTextExposition(body.toString('utf8'), this.wants, this.config.ingest, options), receivedAtMs);
    } finally {
      stopTimer();
    }
  }

  private deliver(decoded: DecodedWrite, receivedAtMs: number): WriteSummary {
    // a sample stamped far ahead (a clock off, microseconds sent as ms) would carry event time
    // past the wall clock and freeze evaluation there: dropped; history of any age is fine
    const notAfterMs = receivedAtMs + this.config.ingest.maxFutureSeconds * 1000;
    const { series, columns } = decoded;
    const result = series.length > 0 || (columns?.count ?? 0) > 0 ? this.sink.append(series, { notAfterMs }, columns) : NOTHING;
    const m = this.metrics.samples;
    m.inc({ outcome: 'accepted' }, result.accepted);
    m.inc({ outcome: 'out_of_order' }, result.outOfOrder);
    m.inc({ outcome: 'ignored' }, result.ignored + decoded.ignoredSamples);
    m.inc({ outcome: 'missing_cluster' }, result.missingCluster);
    this.countDiscarded(decoded.discarded);
    this.countDiscarded(result.discarded);
    // A full store keeps what it could take; the sender retries the whole request later and
    // the samples already taken come back as duplicates, which the store drops.
    if ((result.rejected ?? 0) > 0) {
      throw new DomainError('unavailable', `signal store is full (ingest.maxActiveSeries); ${result.rejected} samples refused`, undefined, 5);
    }
    // discarded samples count as written: a retry would be discarded again
    return {
      samplesWritten: decoded.samples - result.outOfOrder,
      histogramsWritten: decoded.histograms,
      exemplarsWritten: decoded.exemplars,
    };
  }

  private countDiscarded(counts: Partial<Record<IngestDiscardReason, number>> | undefined): void {
    if (counts === undefined) return;
    for (const [reason, n] of Object.entries(counts) as [IngestDiscardReason, number][]) {
      if (n <= 0) continue;
      this.metrics.discarded.inc({ reason }, n);
      this.metrics.samples.inc({ outcome: 'discarded' }, n);
    }
  }
}

const pickLimits = (c: AppConfig['ingest']): IngestLimits => ({
  maxSeriesPerRequest: c.maxSeriesPerRequest,
  maxLabelsPerSeries: c.maxLabelsPerSeries,
  maxLabelNameBytes: c.maxLabelNameBytes,
  maxLabelValueBytes: c.maxLabelValueBytes,
  maxLineBytes: c.maxLineBytes,
});
