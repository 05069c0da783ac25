import type { LabelPair } from '../signals/signal.types.js';
import { copyOf } from './utf8-interner.js';
import { hashBytes } from './wire-bytes.js';

// A series sends the same label bytes on every scrape, so the decoded label list is cached
// keyed by those wire bytes (tags, lengths and all, hence exact): one hash and one byte
// comparison per wanted series instead of two interner lookups and an object per label.
// The cached arrays are shared between requests and frozen (the signal store then remembers
// their series id).
// Bounded: when both slots of a series are taken, it replaces the entry in its own slot.
export class LabelSetCache {
  private readonly keys: (Uint8Array | undefined)[];
  private readonly labels: (readonly LabelPair[] | undefined)[];
  private readonly mask: number;

  constructor(
    slotsLog2 = 16,
    private readonly maxBytes = 2048,
  ) {
    this.keys = new Array<Uint8Array | undefined>(1 << slotsLog2);
    this.labels = new Array<readonly LabelPair[] | undefined>(1 << slotsLog2);
    this.mask = (1 << slotsLog2) - 1;
  }

  private slot = 0;

  /** the labels encoded by buf[start, end) when cached; a miss is followed by remember() */
  find(buf: Buffer, start: number, end: number): readonly LabelPair[] | undefined {
    if (end - start > this.maxBytes) return undefined;
    // two-way: a series may sit in its slot or the slot's neighbour, so two series that
    // share a slot do not evict each other on every request
    const slot = hashBytes(buf, start, end) & this.mask;
    this.slot = slot;
    if (this.holds(slot, buf, start, end)) return this.labels[slot];
    if (this.holds(slot ^ 1, buf, start, end)) return this.labels[slot ^ 1];
    return undefined;
  }

  /** caches labels for the bytes the last find() missed */
  remember(buf: Buffer, start: number, end: number, labels: readonly LabelPair[]): void {
    if (end - start > this.maxBytes) return;
    const slot = this.keys[this.slot] === undefined || this.keys[this.slot ^ 1] !== undefined ? this.slot : this.slot ^ 1;
    this.keys[slot] = copyOf(buf, start, end);
    // frozen: the store may remember a series id for this very list
    this.labels[slot] = Object.freeze(labels);
  }

  private holds(slot: number, buf: Buffer, start: number, end: number): boolean {
    const known = this.keys[slot];
    // native compare: label lists are a few hundred bytes, where it beats a JS loop
    return known !== undefined && known.length === end - start && buf.compare(known, 0, known.length, start, end) === 0;
  }
}
