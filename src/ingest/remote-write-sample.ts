import { badRequest } from '../common/domain-error.js';
import type { KnownSeries, RawSample } from '../signals/signal.types.js';
import type { SampleColumnsBuilder } from './sample-columns.js';
import { embeddedEnd, readInt64, skipField, WIRE_I64, WIRE_VARINT, type ProtoReader } from './proto-reader.js';

/** Sample { double value = 1; int64 timestamp = 2; } in [start, end); same in v1 and v2. */
export function decodeSample(r: ProtoReader, start: number, end: number): RawSample {
  r.pos = start;
  let value = 0;
  let timestampMs = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_I64)) value = r.double();
    else if (tag === ((2 << 3) | WIRE_VARINT)) timestampMs = readInt64(r);
    else skipField(r, tag & 7, end);
  }
  if (r.pos !== end) throw badRequest('truncated sample');
  return { value, timestampMs };
}

const VALUE_TAG = (1 << 3) | WIRE_I64;
const slot: SampleSlot = { value: 0, timestampMs: 0 };
const TIMESTAMP_TAG = (2 << 3) | WIRE_VARINT;

/** Where readSampleFast leaves a sample: one object, reused, so reading allocates nothing. */
export interface SampleSlot {
  value: number;
  timestampMs: number;
}

/**
 * What Prometheus sends: value (tag, 8 bytes; left out when 0, as proto3 does) then a
 * timestamp of at most 7 varint bytes ending exactly at `end`, read straight from the bytes
 * (protobufjs's reader costs a call per field) into `out`; false for anything else, which
 * decodeSample reads.
 */
export function readSampleFast(buf: Uint8Array, view: DataView, start: number, end: number, out: SampleSlot): boolean {
  let p = start;
  let value = 0;
  if (buf[p] === VALUE_TAG) {
    if (end - p < 11) return false;
    value = view.getFloat64(p + 1, true); // protobuf doubles are little-endian
    p += 9;
  }
  if (buf[p] !== TIMESTAMP_TAG || end - p < 2 || end - p > 8) return false;
  let timestampMs = 0;
  let scale = 1;
  for (p++; p < end; p++) {
    const b = buf[p]!;
    timestampMs += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (p !== end - 1) return false;
      out.value = value;
      out.timestampMs = timestampMs;
      return true;
    }
    scale *= 128;
  }
  return false;
}

/** Positions of the samples of the current series, decoded only if the series is wanted. */
export class SampleSpans {
  private spans = new Int32Array(16);
  count = 0;

  reset(): void {
    this.count = 0;
  }

  push(start: number, end: number): void {
    if (2 * this.count + 2 > this.spans.length) {
      const grown = new Int32Array(this.spans.length * 2);
      grown.set(this.spans);
      this.spans = grown;
    }
    this.spans[2 * this.count] = start;
    this.spans[2 * this.count + 1] = end;
    this.count++;
  }

  /** Records the embedded sample at the reader and moves past it. */
  skipOver(r: ProtoReader, limit: number): void {
    const end = embeddedEnd(r, limit);
    this.push(r.pos, end);
    r.pos = end;
  }

  decode(r: ProtoReader, view: DataView): RawSample[] {
    const samples: RawSample[] = new Array<RawSample>(this.count);
    for (let i = 0; i < this.count; i++) samples[i] = this.sample(r, view, i, { value: 0, timestampMs: 0 });
    return samples;
  }

  /** the samples as `series`' entries of `columns` */
  decodeInto(r: ProtoReader, view: DataView, columns: SampleColumnsBuilder, series: KnownSeries): void {
    for (let i = 0; i < this.count; i++) {
      const sample = this.sample(r, view, i, slot);
      columns.push(series, sample.timestampMs, sample.value);
    }
  }

  private sample(r: ProtoReader, view: DataView, i: number, out: SampleSlot): RawSample {
    const start = this.spans[2 * i]!;
    const end = this.spans[2 * i + 1]!;
    return readSampleFast(r.buf, view, start, end, out) ? out : decodeSample(r, start, end);
  }
}
