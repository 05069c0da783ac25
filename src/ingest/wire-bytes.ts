import { Buffer, isUtf8 } from 'node:buffer';
import { randomInt } from 'node:crypto';
import { badRequest } from '../common/domain-error.js';

// Helpers shared by the protobuf decoders for strings that live in the request buffer.

export const asBuffer = (buf: Uint8Array): Buffer =>
  Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);

/**
 * The same bytes as a DataView, for multi-byte reads: getFloat64/getInt32 compile to one load,
 * where assembling a value from single bytes was measured 2.4x slower per request (a double
 * built by writing 8 bytes into a Float64Array's buffer and reading it back stalls the CPU's
 * store-to-load forwarding: 2.45 → 1.02 ms per 2,000-series request).
 */
export const viewOf = (buf: Uint8Array): DataView => new DataView(buf.buffer, buf.byteOffset, buf.byteLength);

/** Decodes [start, end) as UTF-8, rejecting invalid sequences instead of replacing them. */
export function utf8At(buf: Buffer, start: number, end: number, what: string): string {
  const view = buf.subarray(start, end);
  if (!isUtf8(view)) throw badRequest(`invalid UTF-8 in ${what}`);
  return view.toString('utf8');
}

/** Byte-wise comparison of [start, end) with an ASCII constant, without decoding. */
export function bytesEqual(buf: Buffer, start: number, end: number, ascii: Uint8Array): boolean {
  if (end - start !== ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (buf[start + i] !== ascii[i]) return false;
  return true;
}

export const NAME_LABEL = '__name__';
export const NAME_LABEL_BYTES = new Uint8Array(Buffer.from(NAME_LABEL, 'latin1'));

/**
 * Seed of the label cache's hash, per process. It does not stop crafted collisions (this
 * hash is not keyed: collisions can be solved for any seed); the cache's probe limit is what
 * bounds their cost. It only keeps one process's slot layout from predicting another's.
 */
const SEED = randomInt(0x7fffffff);

/**
 * 32-bit hash of [start, end) in two murmur3-style lanes of four bytes, eight bytes per step
 * (165 → 60 ns for a 250-byte label list, against the byte-wise murmur it replaced); callers
 * compare bytes on a hit. The label cache and the string interner both use it.
 */
export function hashView(view: DataView, start: number, end: number): number {
  let h1 = SEED ^ (end - start);
  let h2 = 0x1b873593;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = h1 ^ Math.imul(view.getInt32(i, true), 0xcc9e2d51);
    const b = h2 ^ Math.imul(view.getInt32(i + 4, true), 0x85ebca6b);
    h1 = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    h2 = (Math.imul((b << 15) | (b >>> 17), 5) + 0x561ccd1b) | 0;
  }
  for (; i < end; i++) h1 = Math.imul(h1 ^ view.getUint8(i), 0x01000193);
  let h = h1 ^ Math.imul(h2, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/**
 * Whether a[aStart, aStart + len) equals b[bStart, bStart + len), four bytes per step: for
 * the few dozen bytes of a metric name (Buffer#compare's argument checks cost more there; for
 * label lists of a few hundred bytes it is the faster one).
 */
export function sameViewBytes(a: DataView, aStart: number, b: DataView, bStart: number, len: number): boolean {
  let i = 0;
  for (; i + 4 <= len; i += 4) if (a.getInt32(aStart + i) !== b.getInt32(bStart + i)) return false;
  for (; i < len; i++) if (a.getUint8(aStart + i) !== b.getUint8(bStart + i)) return false;
  return true;
}

/** Whether `known` holds the same bytes as buf[start, start + known.length). */
export function sameBytes(known: Uint8Array, buf: Buffer, start: number): boolean {
  for (let i = 0; i < known.length; i++) if (known[i] !== buf[start + i]) return false;
  return true;
}
