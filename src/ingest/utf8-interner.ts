import { hashView, sameBytes, utf8At } from './wire-bytes.js';

// Strings of remote_write requests repeat: label names on every series, and values such as
// job, cluster, instance and pod on every scrape. A direct-mapped table keyed by a hash of
// the bytes returns the string decoded last time, skipping the slice, UTF-8 validation and
// allocation (measured: decode time per request roughly halved). Bounded: a colliding
// entry simply replaces the old one. Only ever used synchronously, so sharing is safe.
export class Utf8Interner {
  private readonly bytes: (Uint8Array | undefined)[];
  private readonly strings: (string | undefined)[];
  private readonly mask: number;

  constructor(
    slotsLog2 = 16,
    private readonly maxBytes = 128,
  ) {
    this.bytes = new Array<Uint8Array | undefined>(1 << slotsLog2);
    this.strings = new Array<string | undefined>(1 << slotsLog2);
    this.mask = (1 << slotsLog2) - 1;
  }

  /** `view`: the same bytes as `buf` (viewOf), for hashing */
  get(buf: Buffer, view: DataView, start: number, end: number, what: string): string {
    const len = end - start;
    if (len > this.maxBytes) return utf8At(buf, start, end, what);
    const slot = hashView(view, start, end) & this.mask;
    const known = this.bytes[slot];
    if (known !== undefined && known.length === len && sameBytes(known, buf, start)) return this.strings[slot]!;
    const decoded = utf8At(buf, start, end, what);
    this.bytes[slot] = copyOf(buf, start, end);
    this.strings[slot] = decoded;
    return decoded;
  }
}

export function copyOf(buf: Buffer, start: number, end: number): Uint8Array {
  const copy = new Uint8Array(end - start);
  copy.set(buf.subarray(start, end));
  return copy;
}
