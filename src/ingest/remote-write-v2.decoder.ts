import { badRequest } from '../common/domain-error.js';
import type { LabelPair, RawSeries } from '../signals/signal.types.js';
import { countDiscard, type DecodedWrite, type LabelLimitReason, type WantsMetric } from './decoded-write.js';
import { limitExceeded, type IngestLimits } from './ingest-limits.js';
import { decodeOrReject, embeddedEnd, protoReader, skipField, WIRE_LEN, WIRE_VARINT, type ProtoReader } from './proto-reader.js';
import { SampleSpans } from './remote-write-sample.js';
import { asBuffer, NAME_LABEL, utf8At, viewOf } from './wire-bytes.js';

// io.prometheus.write.v2.Request: symbols = 4, timeseries = 5 { labels_refs = 1 (packed
// uint32 pairs into symbols), samples = 2, histograms = 3, exemplars = 4, metadata = 5,
// created_timestamp = 6 }. Histograms and exemplars are counted, not decoded.

export function decodeWriteRequestV2(body: Uint8Array, wants: WantsMetric, limits: IngestLimits): DecodedWrite {
  return decodeOrReject('remote_write 2.0 request', () => new V2Decoder(body, wants, limits).decode());
}

const UNKNOWN = 0;
const WANTED = 1;
const UNWANTED = 2;

class V2Decoder {
  private readonly buf: Buffer;
  private readonly view: DataView;
  private readonly r: ProtoReader;
  private readonly symbols: string[] = [];
  private readonly symbolBytes: number[] = [];
  private wanted = new Uint8Array(0);
  private readonly refs: Uint32Array;
  private readonly sampleSpans = new SampleSpans();
  private readonly series: RawSeries[] = [];
  private samples = 0;
  private ignoredSamples = 0;
  private histograms = 0;
  private exemplars = 0;
  private readonly discarded: Partial<Record<LabelLimitReason, number>> = {};

  constructor(
    body: Uint8Array,
    private readonly wants: WantsMetric,
    private readonly limits: IngestLimits,
  ) {
    this.buf = asBuffer(body);
    this.view = viewOf(body);
    this.r = protoReader(this.buf);
    this.refs = new Uint32Array(2 * limits.maxLabelsPerSeries);
  }

  decode(): DecodedWrite {
    // Fields may come in any order: collect symbols and series positions first.
    const r = this.r;
    const seriesSpans: number[] = [];
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === ((4 << 3) | WIRE_LEN)) {
        const end = embeddedEnd(r, r.len);
        this.symbols.push(utf8At(this.buf, r.pos, end, 'symbol'));
        this.symbolBytes.push(end - r.pos);
        r.pos = end;
      } else if (tag === ((5 << 3) | WIRE_LEN)) {
        if (seriesSpans.length / 2 >= this.limits.maxSeriesPerRequest) {
          throw limitExceeded('series count', 'maxSeriesPerRequest', this.limits.maxSeriesPerRequest);
        }
        const end = embeddedEnd(r, r.len);
        seriesSpans.push(r.pos, end);
        r.pos = end;
      } else {
        skipField(r, tag & 7, r.len);
      }
    }
    if (this.symbols.length > 0 && this.symbols[0] !== '') throw badRequest('symbols[0] must be the empty string');
    this.wanted = new Uint8Array(this.symbols.length);
    for (let i = 0; i < seriesSpans.length; i += 2) {
      r.pos = seriesSpans[i]!;
      this.timeSeries(seriesSpans[i + 1]!);
    }
    const { series, samples, ignoredSamples, histograms, exemplars, discarded } = this;
    return { series, samples, ignoredSamples, histograms, exemplars, discarded };
  }

  private timeSeries(end: number): void {
    const r = this.r;
    let refCount = 0;
    this.sampleSpans.reset();
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 && wireType === WIRE_LEN) {
        const refsEnd = embeddedEnd(r, end);
        while (r.pos < refsEnd) refCount = this.pushRef(refCount, r.uint32());
        if (r.pos !== refsEnd) throw badRequest('truncated labels_refs');
      } else if (field === 1 && wireType === WIRE_VARINT) {
        refCount = this.pushRef(refCount, r.uint32());
      } else if (field === 2 && wireType === WIRE_LEN) {
        this.sampleSpans.skipOver(r, end);
      } else if (field === 3 && wireType === WIRE_LEN) {
        this.histograms++;
        skipField(r, wireType, end);
      } else if (field === 4 && wireType === WIRE_LEN) {
        this.exemplars++;
        skipField(r, wireType, end);
      } else {
        skipField(r, wireType, end);
      }
    }
    if (r.pos !== end) throw badRequest('truncated time series');
    if (refCount % 2 !== 0) throw badRequest('labels_refs has an odd length');
    const samples = this.sampleSpans.count;
    this.samples += samples;
    if (samples === 0) return;
    // a label limit drops this series only (Mimir's rule): the rest of the request is kept
    const over = refCount > this.refs.length ? 'max_labels_per_series' : this.labelSizeLimit(refCount);
    if (over !== undefined) {
      countDiscard(this.discarded, over, samples);
      return;
    }
    if (!this.isWanted(refCount)) {
      this.ignoredSamples += samples;
      return;
    }
    this.series.push({ labels: this.buildLabels(refCount), samples: this.sampleSpans.decode(this.r, this.view) });
  }

  /** refs past maxLabelsPerSeries are checked but not kept; the count tells the series is over */
  private pushRef(count: number, ref: number): number {
    if (ref >= this.symbols.length) throw badRequest(`label ref ${ref} out of range (${this.symbols.length} symbols)`);
    if (count < this.refs.length) this.refs[count] = ref;
    return count + 1;
  }

  private labelSizeLimit(refCount: number): LabelLimitReason | undefined {
    for (let i = 0; i < refCount; i += 2) {
      if (this.symbolBytes[this.refs[i]!]! > this.limits.maxLabelNameBytes) return 'label_name_too_long';
      if (this.symbolBytes[this.refs[i + 1]!]! > this.limits.maxLabelValueBytes) return 'label_value_too_long';
    }
    return undefined;
  }

  // The wants() answer is cached per symbol: a metric name is asked about once per request.
  private isWanted(refCount: number): boolean {
    for (let i = 0; i < refCount; i += 2) {
      if (this.symbols[this.refs[i]!] !== NAME_LABEL) continue;
      const valueRef = this.refs[i + 1]!;
      if (this.wanted[valueRef] === UNKNOWN) this.wanted[valueRef] = this.wants(this.symbols[valueRef]!) ? WANTED : UNWANTED;
      return this.wanted[valueRef] === WANTED;
    }
    return false;
  }

  private buildLabels(refCount: number): LabelPair[] {
    const labels: LabelPair[] = new Array<LabelPair>(refCount / 2);
    for (let i = 0; i < refCount; i += 2) {
      labels[i / 2] = { name: this.symbols[this.refs[i]!]!, value: this.symbols[this.refs[i + 1]!]! };
    }
    return labels;
  }

}
