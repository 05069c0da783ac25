import { badRequest } from '../common/domain-error.js';
import type { LabelPair } from '../signals/signal.types.js';
import { countDiscard, type DecodedWrite, type LabelLimitReason, type WantsMetric } from './decoded-write.js';
import { limitExceeded, type IngestLimits } from './ingest-limits.js';
import { decodeOrReject, embeddedEnd, protoReader, skipField, WIRE_I64, WIRE_LEN, WIRE_VARINT, type ProtoReader } from './proto-reader.js';
import { LabelSetCache, transient } from './label-set-cache.js';
import { readSampleFast, SampleSpans, type SampleSlot } from './remote-write-sample.js';
import { SampleColumnsBuilder } from './sample-columns.js';
import { Utf8Interner } from './utf8-interner.js';
import { asBuffer, bytesEqual, NAME_LABEL_BYTES, sameViewBytes, viewOf } from './wire-bytes.js';

// prometheus.WriteRequest: TimeSeries = 1 { Label labels = 1 {name = 1, value = 2}, Sample samples = 2,
// Exemplar exemplars = 3, Histogram histograms = 4 }. Label and sample positions are
// collected first; strings are only decoded for series the sink wants.

const LABEL_TAG = (1 << 3) | WIRE_LEN;
const SAMPLE_TAG = (2 << 3) | WIRE_LEN;
const NAME_TAG = (1 << 3) | WIRE_LEN;
const VALUE_TAG = (2 << 3) | WIRE_LEN;
const SAMPLE_VALUE_TAG = (1 << 3) | WIRE_I64;
const SAMPLE_TIMESTAMP_TAG = (2 << 3) | WIRE_VARINT;

export function decodeWriteRequestV1(
  body: Uint8Array,
  wants: WantsMetric,
  limits: IngestLimits,
  strings = new Utf8Interner(10),
  labelSets = new LabelSetCache(10),
  columns = new SampleColumnsBuilder(),
): DecodedWrite {
  return decodeOrReject('remote_write 1.0 request', () => new V1Decoder(body, wants, limits, strings, labelSets, columns).decode());
}

class V1Decoder {
  private readonly buf: Buffer;
  private readonly view: DataView;
  private readonly r: ProtoReader;
  // [nameStart, nameEnd, valueStart, valueEnd] per label; [start, end] per sample
  private readonly labelSpans: Int32Array;
  private readonly sampleSpans = new SampleSpans();
  private readonly sample: SampleSlot = { value: 0, timestampMs: 0 };
  private seriesCount = 0;
  private samples = 0;
  private ignoredSamples = 0;
  private histograms = 0;
  private exemplars = 0;
  private readonly discarded: Partial<Record<LabelLimitReason, number>> = {};
  // The previous series' metric name bytes and the sink's answer: a scrape's series of one
  // family arrive next to each other, so most series compare ~30 bytes and stop there.
  private lastNameStart = 0;
  private lastNameEnd = -1;
  private lastWanted = false;
  /** a label name or value with a one-byte length cannot break the length limits */
  private readonly shortLabelsFit: boolean;

  constructor(
    body: Uint8Array,
    private readonly wants: WantsMetric,
    private readonly limits: IngestLimits,
    private readonly strings: Utf8Interner,
    private readonly labelSets: LabelSetCache,
    private readonly columns: SampleColumnsBuilder,
  ) {
    columns.reset();
    this.buf = asBuffer(body);
    this.view = viewOf(body);
    this.r = protoReader(this.buf);
    this.labelSpans = new Int32Array(4 * limits.maxLabelsPerSeries);
    this.shortLabelsFit = limits.maxLabelNameBytes >= 0x7f && limits.maxLabelValueBytes >= 0x7f;
  }

  decode(): DecodedWrite {
    const r = this.r;
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === 1 && (tag & 7) === WIRE_LEN) {
        if (++this.seriesCount > this.limits.maxSeriesPerRequest) {
          throw limitExceeded('series count', 'maxSeriesPerRequest', this.limits.maxSeriesPerRequest);
        }
        const end = embeddedEnd(r, r.len);
        this.timeSeries(end);
        r.pos = end;
      } else {
        skipField(r, tag & 7, r.len);
      }
    }
    const { columns, samples, ignoredSamples, histograms, exemplars, discarded } = this;
    return { series: [], columns, samples, ignoredSamples, histograms, exemplars, discarded };
  }

  private timeSeries(end: number): void {
    const r = this.r;
    if (this.knownSeries(r.pos, end) || this.fastSeries(r.pos, end)) return;
    let labels = 0;
    // the label fields' bytes, when nothing else lies between them: the label cache's key
    let labelsStart = 0;
    let labelsEnd = 0;
    let contiguous = true;
    // a label limit drops this series only (Mimir's rule): the rest of the request is kept
    let over: LabelLimitReason | undefined;
    this.sampleSpans.reset();
    const buf = this.buf;
    while (r.pos < end) {
      const tagStart = r.pos;
      // Fast path for what Prometheus sends: a one-byte tag of a length-delimited field and a
      // one-byte length (labels, samples) are read straight from the buffer; -1 otherwise.
      let bodyEnd = -1;
      let tag = buf[tagStart]!;
      const len = buf[tagStart + 1];
      if (tag < 0x80 && (tag & 7) === WIRE_LEN && len !== undefined && len < 0x80) {
        bodyEnd = tagStart + 2 + len;
        if (bodyEnd > end) throw badRequest('truncated protobuf message');
        r.pos = tagStart + 2;
      } else tag = r.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 && wireType === WIRE_LEN) {
        if (labels === 0) labelsStart = tagStart;
        else if (tagStart !== labelsEnd) contiguous = false;
        const labelEnd = bodyEnd >= 0 ? bodyEnd : embeddedEnd(r, end);
        if (labels < this.limits.maxLabelsPerSeries) {
          const broken = this.label(labelEnd, labels);
          over ??= broken;
        } else {
          over = 'max_labels_per_series';
          r.pos = labelEnd;
        }
        labels++;
        labelsEnd = r.pos;
      } else if (field === 2 && wireType === WIRE_LEN) {
        if (bodyEnd >= 0) {
          this.sampleSpans.push(r.pos, bodyEnd);
          r.pos = bodyEnd;
        } else this.sampleSpans.skipOver(r, end);
      } else {
        if (field === 3 && wireType === WIRE_LEN) this.exemplars++;
        else if (field === 4 && wireType === WIRE_LEN) this.histograms++;
        if (bodyEnd >= 0) r.pos = bodyEnd;
        else skipField(r, wireType, end);
      }
    }
    if (r.pos !== end) throw badRequest('truncated time series');
    const samples = this.sampleSpans.count;
    this.samples += samples;
    if (samples === 0) return;
    if (over !== undefined) {
      countDiscard(this.discarded, over, samples);
      return;
    }

    if (!this.wantsSeries(labels)) {
      this.ignoredSamples += samples;
      return;
    }
    let known = contiguous ? this.labelSets.find(this.buf, this.view, labelsStart, labelsEnd) : undefined;
    if (known === undefined) {
      const labelPairs = this.buildLabels(labels);
      // labels with other fields between them have no one byte range to key: this request's own entry,
      // in the columns all the same, so the store takes every series in wire order
      known = contiguous ? this.labelSets.remember(this.buf, labelsStart, labelsEnd, labelPairs) : transient(labelPairs);
    }
    this.sampleSpans.decodeInto(this.r, this.view, this.columns, known);
  }

  /**
   * A wanted series seen before, as Prometheus sends it: `__name__` first, labels, then one
   * sample (value, left out when 0, and a 6-byte timestamp in ms: 1971 to 2109). The labels'
   * end is taken from the series' end, so the labels are hashed without being walked; a cache
   * hit proves that split right: the cached bytes were checked as whole label fields when
   * first seen, so what follows them is the one sample field. Anything else returns false and
   * the walks below take the series. Reads stay inside [start, end) (bounds-checked by the caller).
   */
  private knownSeries(start: number, end: number): boolean {
    const buf = this.buf;
    if (end - start < 32) return false;
    let s = end - 18;
    if (buf[s] !== SAMPLE_TAG || buf[s + 1] !== 16 || buf[s + 2] !== SAMPLE_VALUE_TAG || buf[s + 11] !== SAMPLE_TIMESTAMP_TAG) {
      s = end - 9; // a value of 0 is left out
      if (buf[s] !== SAMPLE_TAG || buf[s + 1] !== 7 || buf[s + 2] !== SAMPLE_TIMESTAMP_TAG) return false;
    }
    if (s < start + 14) return false;
    // the metric name first: an unwanted series is left to fastSeries, which checks its labels
    const nameEnd = start + 2 + buf[start + 1]!;
    const v = start + 4 + NAME_LABEL_BYTES.length;
    if (buf[start] !== LABEL_TAG || buf[start + 2] !== NAME_TAG || buf[start + 3] !== NAME_LABEL_BYTES.length || buf[v] !== VALUE_TAG) return false;
    if (nameEnd > s || v + 2 + buf[v + 1]! !== nameEnd || !bytesEqual(buf, start + 4, v, NAME_LABEL_BYTES)) return false;
    if (!this.wantsMetric(v + 2, nameEnd)) return false;
    const known = this.labelSets.find(buf, this.view, start, s);
    if (known === undefined) return false;
    const sample = this.sample;
    if (!readSampleFast(buf, this.view, s + 2, end, sample)) return false;
    this.samples++;
    this.columns.push(known, sample.timestampMs, sample.value);
    return true;
  }

  /**
   * The series in [start, end) as Prometheus sends it, the common case: labels first, each
   * `{name, value}` with one-byte lengths (so within the name and value limits, which are at
   * least 127 bytes here), `__name__` first, then samples with one-byte lengths. Such a series
   * is checked in one walk without recording spans; a wanted one found in the label cache is
   * emitted at once. Anything else (a cache miss, a longer label, another field, a limit)
   * returns false before counting anything, and the full walk below takes the series.
   */
  private fastSeries(start: number, end: number): boolean {
    if (!this.shortLabelsFit) return false;
    const buf = this.buf;
    let p = start;
    let labels = 0;
    let nameStart = 0;
    let nameEnd = 0;
    // every read below stays inside [start, end), which the caller bounds-checked
    while (p + 2 <= end && buf[p] === LABEL_TAG) {
      const len = buf[p + 1]!;
      const labelEnd = p + 2 + len;
      if (len >= 0x80 || len < 4 || labelEnd > end || buf[p + 2] !== NAME_TAG) return false;
      const n = buf[p + 3]!;
      const v = p + 4 + n;
      if (n >= 0x80 || v + 2 > labelEnd || buf[v] !== VALUE_TAG || v + 2 + buf[v + 1]! !== labelEnd) return false;
      if (labels === 0) {
        if (n !== NAME_LABEL_BYTES.length || !bytesEqual(buf, p + 4, v, NAME_LABEL_BYTES)) return false;
        nameStart = v + 2;
        nameEnd = labelEnd;
      }
      labels++;
      p = labelEnd;
    }
    if (labels === 0 || labels > this.limits.maxLabelsPerSeries) return false;
    const labelsEnd = p;
    const spans = this.sampleSpans;
    spans.reset();
    while (p < end) {
      if (p + 2 > end) return false;
      const len = buf[p + 1]!;
      if (buf[p] !== SAMPLE_TAG || len >= 0x80 || p + 2 + len > end) return false;
      spans.push(p + 2, p + 2 + len);
      p += 2 + len;
    }
    const samples = spans.count;
    if (samples > 0 && !this.wantsMetric(nameStart, nameEnd)) {
      this.samples += samples;
      this.ignoredSamples += samples;
      return true;
    }
    const known = samples > 0 ? this.labelSets.find(buf, this.view, start, labelsEnd) : undefined;
    if (samples > 0 && known === undefined) return false;
    this.samples += samples;
    if (known !== undefined) spans.decodeInto(this.r, this.view, this.columns, known);
    return true;
  }

  /** records the label's spans; the limit it breaks, if any */
  private label(end: number, index: number): LabelLimitReason | undefined {
    const r = this.r;
    let nameStart = 0;
    let nameEnd = 0;
    let valueStart = 0;
    let valueEnd = 0;
    // Fast path, read straight from the bytes: name (field 1) then value (field 2), each
    // shorter than 128 bytes (one-byte length), nothing else. Anything else takes the reader.
    const buf = this.buf;
    const p = r.pos;
    const nameLen = buf[p + 1];
    if (buf[p] === ((1 << 3) | WIRE_LEN) && nameLen !== undefined && nameLen < 0x80) {
      const n = p + 2 + nameLen;
      const valueLen = buf[n + 1];
      if (buf[n] === ((2 << 3) | WIRE_LEN) && valueLen !== undefined && valueLen < 0x80 && n + 2 + valueLen === end) {
        nameStart = p + 2;
        nameEnd = n;
        valueStart = n + 2;
        valueEnd = end;
        r.pos = end;
      }
    }
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === ((1 << 3) | WIRE_LEN)) {
        nameEnd = embeddedEnd(r, end);
        nameStart = r.pos;
        r.pos = nameEnd;
      } else if (tag === ((2 << 3) | WIRE_LEN)) {
        valueEnd = embeddedEnd(r, end);
        valueStart = r.pos;
        r.pos = valueEnd;
      } else {
        skipField(r, tag & 7, end);
      }
    }
    const o = index * 4;
    this.labelSpans[o] = nameStart;
    this.labelSpans[o + 1] = nameEnd;
    this.labelSpans[o + 2] = valueStart;
    this.labelSpans[o + 3] = valueEnd;
    if (nameEnd - nameStart > this.limits.maxLabelNameBytes) return 'label_name_too_long';
    if (valueEnd - valueStart > this.limits.maxLabelValueBytes) return 'label_value_too_long';
    return undefined;
  }


  private wantsSeries(labels: number): boolean {
    const s = this.labelSpans;
    for (let i = 0; i < labels; i++) {
      const o = i * 4;
      if (bytesEqual(this.buf, s[o]!, s[o + 1]!, NAME_LABEL_BYTES)) return this.wantsMetric(s[o + 2]!, s[o + 3]!);
    }
    return false;
  }

  private wantsMetric(start: number, end: number): boolean {
    if (end - start === this.lastNameEnd - this.lastNameStart && sameViewBytes(this.view, start, this.view, this.lastNameStart, end - start)) return this.lastWanted;
    this.lastWanted = this.wants(this.strings.get(this.buf, this.view, start, end, 'metric name'));
    this.lastNameStart = start;
    this.lastNameEnd = end;
    return this.lastWanted;
  }

  private buildLabels(count: number): LabelPair[] {
    const s = this.labelSpans;
    const labels: LabelPair[] = new Array<LabelPair>(count);
    for (let i = 0; i < count; i++) {
      const o = i * 4;
      labels[i] = { name: this.strings.get(this.buf, this.view, s[o]!, s[o + 1]!, 'label name'), value: this.strings.get(this.buf, this.view, s[o + 2]!, s[o + 3]!, 'label value') };
    }
    return labels;
  }

}
