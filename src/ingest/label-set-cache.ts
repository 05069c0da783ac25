import type { LabelPair, SeriesRef } from '../signals/signal.types.js';
import { copyOf } from './utf8-interner.js';
import { hashBytes } from './wire-bytes.js';

/** A wanted series as the decoder hands it out on every request: frozen labels and the sink's ref. */
export interface CachedSeries {
  readonly labels: readonly LabelPair[];
  readonly ref: SeriesRef;
}

const MIN_SLOTS_LOG2 = 10;

// A series sends the same label bytes on every scrape, so the decoded label list is cached
// keyed by those wire bytes (tags, lengths and all, hence exact): one hash and one byte
// comparison per wanted series instead of two interner lookups and an object per label.
// The cached lists are shared between requests and frozen, and carry a ref in which the
// signal store remembers their series id.
// Open addressing with linear probing and the 32-bit hash kept per slot (a probe compares an
// int first). It replaced a direct-mapped two-way table that, measured on 15,384 apiserver and
// CoreDNS series, missed 5.6 % of lookups (three series sharing a pair evict each other on
// every request), each miss costing a label rebuild and a store lookup by labels.
// Bounded: it grows to 2^maxEntriesLog2 entries; a full cache starts over empty.
export class LabelSetCache {
  private hashes = new Int32Array(0);
  private keys: (Uint8Array | undefined)[] = [];
  private entries: (CachedSeries | undefined)[] = [];
  private mask = 0;
  private size = 0;
  private lastHash = 0;
  private readonly maxEntries: number;

  constructor(
    maxEntriesLog2 = 19,
    private readonly maxBytes = 2048,
  ) {
    this.maxEntries = 2 ** maxEntriesLog2;
    this.reset(Math.min(MIN_SLOTS_LOG2, maxEntriesLog2 + 1));
  }

  /** the series encoded by buf[start, end) when cached; a miss is followed by remember() */
  find(buf: Buffer, start: number, end: number): CachedSeries | undefined {
    const len = end - start;
    if (len > this.maxBytes) return undefined;
    const h = hashBytes(buf, start, end);
    this.lastHash = h;
    const { keys, hashes, mask } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const known = keys[i];
      if (known === undefined) return undefined;
      // native compare: label lists are a few hundred bytes, where it beats a JS loop
      if (hashes[i] === h && known.length === len && buf.compare(known, 0, len, start, end) === 0) return this.entries[i];
    }
  }

  /** caches labels for the bytes the last find() missed */
  remember(buf: Buffer, start: number, end: number, labels: LabelPair[]): CachedSeries {
    // frozen: the store remembers a series id for this very list
    const entry: CachedSeries = { labels: Object.freeze(labels), ref: { owner: undefined, id: -1, generation: 0 } };
    if (end - start > this.maxBytes) return entry;
    if (this.size >= this.maxEntries) this.reset(MIN_SLOTS_LOG2);
    else if (2 * (this.size + 1) > this.keys.length) this.grow();
    this.insert(this.lastHash, copyOf(buf, start, end), entry);
    return entry;
  }

  private insert(h: number, key: Uint8Array, entry: CachedSeries): void {
    let i = h & this.mask;
    while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.hashes[i] = h;
    this.entries[i] = entry;
    this.size++;
  }

  private grow(): void {
    const { keys, hashes, entries } = this;
    this.reset(Math.log2(keys.length) + 1);
    for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.insert(hashes[i]!, keys[i]!, entries[i]!);
  }

  private reset(slotsLog2: number): void {
    const slots = 2 ** slotsLog2;
    this.hashes = new Int32Array(slots);
    this.keys = new Array<Uint8Array | undefined>(slots).fill(undefined);
    this.entries = new Array<CachedSeries | undefined>(slots).fill(undefined);
    this.mask = slots - 1;
    this.size = 0;
  }
}
