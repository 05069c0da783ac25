import protobuf from 'protobufjs/minimal.js';
import { badRequest, DomainError } from '../common/domain-error.js';

// The remote-write decoders walk the wire with protobufjs's Reader instead of its generated
// message decoders: that lets them look at the metric name first and skip a series the sink
// does not want without building its label strings (most of a fleet's series).

export type ProtoReader = protobuf.Reader;
export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;

export const protoReader = (buf: Uint8Array): ProtoReader => protobuf.Reader.create(buf);

/** Reads a length prefix and returns the end offset of the embedded message, bounds-checked. */
export function embeddedEnd(r: ProtoReader, limit: number): number {
  const len = r.uint32();
  const end = r.pos + len;
  if (end > limit) throw badRequest('truncated protobuf message');
  return end;
}

/** Skips a field and checks it stayed inside its enclosing message. */
export function skipField(r: ProtoReader, wireType: number, limit: number): void {
  r.skipType(wireType);
  if (r.pos > limit) throw badRequest('truncated protobuf message');
}

// Timestamps take 6 varint bytes: read up to 7 (49 bits, exact as a double) here instead of
// protobufjs's int64(), which allocates a Long per sample. Longer (or negative) values take
// the protobufjs path.
export function readInt64(r: ProtoReader): number {
  const buf = r.buf;
  const len = Math.min(r.len, r.pos + 7);
  let value = 0;
  let scale = 1;
  for (let pos = r.pos; pos < len; pos++) {
    const b = buf[pos]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      r.pos = pos + 1;
      return value;
    }
    scale *= 128;
  }
  const v = r.int64() as unknown as number | { toNumber(): number };
  return typeof v === 'number' ? v : v.toNumber();
}

// protobufjs throws RangeError/Error on truncated input, bad varints and bad wire types:
// those are the sender's fault, so they become a one-line 400.
export function decodeOrReject<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 120) : 'unknown';
    throw badRequest(`malformed ${what}: ${reason}`);
  }
}
