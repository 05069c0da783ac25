import type { LabelPair } from '../signals/signal.types.js';
import { copyOf } from './utf8-interner.js';
import { hashBytes, sameBytes } from './wire-bytes.js';

// A series sends the same label bytes on every scrape, so the decoded label list is cached
// keyed by those wire bytes (tags, lengths and all, hence exact): one hash and one byte
// comparison per wanted series instead of two interner lookups and an object per label.
// The cached arrays are shared between requests and never mutated (LabelPair is readonly).
// Direct-mapped and bounded: a colliding series replaces the older entry.
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
    const slot = hashBytes(buf, start, end) & this.mask;
    this.slot = slot;
    const known = this.keys[slot];
    return known !== undefined && known.length === end - start && sameBytes(known, buf, start) ? this.labels[slot] : undefined;
  }

  /** caches labels for the bytes the last find() missed */
  remember(buf: Buffer, start: number, end: number, labels: readonly LabelPair[]): void {
    if (end - start > this.maxBytes) return;
    this.keys[this.slot] = copyOf(buf, start, end);
    this.labels[this.slot] = labels;
  }
}
