import { badRequest } from '../common/domain-error.js';
import type { RawSample } from '../signals/signal.types.js';
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

  decode(r: ProtoReader): RawSample[] {
    const samples: RawSample[] = new Array<RawSample>(this.count);
    for (let i = 0; i < this.count; i++) samples[i] = decodeSample(r, this.spans[2 * i]!, this.spans[2 * i + 1]!);
    return samples;
  }
}
