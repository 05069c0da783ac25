import protobuf from 'protobufjs/minimal.js';
import { compressSync } from 'snappy';
import type { LabelPair, RawSample, RawSeries } from '../signals/signal.types.js';

// Encoders for remote_write 1.0 (prometheus.WriteRequest) and 2.0 (io.prometheus.write.v2.Request),
// used by the simulator, the bench and tests. Output is uncompressed protobuf; wrap it with
// snappyCompress() before sending with `Content-Encoding: snappy`.

const LEN = 2; // wire type of length-delimited fields
const VARINT = 0;
const I64 = 1;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

function writeSample(w: protobuf.Writer, field: number, sample: RawSample): void {
  w.uint32(tag(field, LEN)).fork();
  w.uint32(tag(1, I64)).double(sample.value);
  if (sample.timestampMs !== 0) w.uint32(tag(2, VARINT)).int64(sample.timestampMs);
  w.ldelim();
}

function writeLabelV1(w: protobuf.Writer, label: LabelPair): void {
  w.uint32(tag(1, LEN)).fork();
  w.uint32(tag(1, LEN)).string(label.name);
  w.uint32(tag(2, LEN)).string(label.value);
  w.ldelim();
}

/** prometheus.WriteRequest { repeated TimeSeries timeseries = 1; } */
export function encodeWriteRequestV1(series: readonly RawSeries[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const s of series) {
    w.uint32(tag(1, LEN)).fork();
    for (const label of s.labels) writeLabelV1(w, label);
    for (const sample of s.samples) writeSample(w, 2, sample);
    w.ldelim();
  }
  return w.finish();
}

/** io.prometheus.write.v2.Request { repeated string symbols = 4; repeated TimeSeries timeseries = 5; } */
export function encodeWriteRequestV2(series: readonly RawSeries[]): Uint8Array {
  const symbols = [''];
  const refOf = new Map<string, number>([['', 0]]);
  const ref = (s: string): number => {
    let r = refOf.get(s);
    if (r === undefined) {
      r = symbols.length;
      symbols.push(s);
      refOf.set(s, r);
    }
    return r;
  };
  const refs = series.map((s) => s.labels.flatMap((l) => [ref(l.name), ref(l.value)]));

  const w = protobuf.Writer.create();
  for (const symbol of symbols) w.uint32(tag(4, LEN)).string(symbol);
  series.forEach((s, i) => {
    w.uint32(tag(5, LEN)).fork();
    const labelRefs = refs[i] ?? [];
    if (labelRefs.length > 0) {
      w.uint32(tag(1, LEN)).fork();
      for (const r of labelRefs) w.uint32(r);
      w.ldelim();
    }
    for (const sample of s.samples) writeSample(w, 2, sample);
    w.ldelim();
  });
  return w.finish();
}

/** Snappy block format, as remote_write expects (not the framed stream format). */
export function snappyCompress(buf: Uint8Array): Buffer {
  return compressSync(buf);
}
