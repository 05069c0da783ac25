import type { KnownSeries, LabelPair } from '../signals/signal.types.js';
import { hashView } from './wire-bytes.js';

/** A wanted series as the decoder hands it out on every request: frozen labels and the sink's ref. */
export type CachedSeries = KnownSeries;

const MIN_SLOTS_LOG2 = 10;
/**
 * Probes per lookup, at most. Series crafted to share a hash (the hash is fast, not keyed,
 * so a sender can find collisions) fill one chain; past this many slots a series is simply
 * not cached, and every lookup stays bounded instead of comparing against the whole chain.
 */
const MAX_PROBES = 32;
/** label bytes kept, at most, unless configured (ingest.labelCacheMaxBytes) */
const MAX_ARENA_BYTES = 128 * 1024 * 1024;
/** per slot in `table`: hash, key offset in the arena, key length, entry index + 1 (0 = empty) */
const HASH = 0;
const OFFSET = 1;
const LENGTH = 2;
const ENTRY = 3;

// A series sends the same label bytes on every scrape, so the decoded label list is cached
// keyed by those wire bytes (tags, lengths and all, hence exact): one hash and one byte
// comparison per wanted series instead of two interner lookups and an object per label.
// The cached lists are shared between requests and frozen, and carry a ref in which the
// signal store remembers their series id.
// Open addressing with linear probing; a slot's hash, key position and entry sit together in
// one Int32Array and the keys one after another in one arena, so a lookup touches two places
// of memory instead of following a key object to its bytes. It replaced a direct-mapped
// two-way table that, measured on 15,384 apiserver and CoreDNS series, missed 5.6 % of
// lookups (three series sharing a pair evict each other on every request), each miss costing
// a label rebuild and a store lookup by labels.
// Bounded: it grows to 2^maxEntriesLog2 entries (the service sizes it to ingest.maxActiveSeries)
// and maxArenaBytes of label bytes (ingest.labelCacheMaxBytes); a full cache starts over
// empty and counts a reset (wavewatch_ingest_label_cache_resets_total).
export class LabelSetCache {
  private table = new Int32Array(0);
  private arena = Buffer.alloc(0);
  private arenaUsed = 0;
  private entries: CachedSeries[] = [];
  private mask = 0;
  private lastHash = 0;
  private readonly maxEntries: number;
  /** times the cache was full and started over (each costs every series a label rebuild and a store lookup) */
  resets = 0;

  constructor(
    maxEntriesLog2 = 19,
    private readonly maxBytes = 2048,
    private readonly maxArenaBytes = MAX_ARENA_BYTES,
  ) {
    this.maxEntries = 2 ** maxEntriesLog2;
    this.reset(Math.min(MIN_SLOTS_LOG2, maxEntriesLog2 + 1));
  }

  /** series cached now */
  get size(): number {
    return this.entries.length;
  }

  /** label bytes held */
  get bytes(): number {
    return this.arenaUsed;
  }

  /** the series encoded by buf[start, end) (`view`: the same bytes) when cached; a miss is followed by remember() */
  find(buf: Buffer, view: DataView, start: number, end: number): CachedSeries | undefined {
    const len = end - start;
    if (len > this.maxBytes) return undefined;
    const h = hashView(view, start, end);
    this.lastHash = h;
    const { table, mask } = this;
    for (let i = h & mask, probes = 0; probes < MAX_PROBES; i = (i + 1) & mask, probes++) {
      const s = 4 * i;
      const entry = table[s + ENTRY]!;
      if (entry === 0) return undefined;
      if (table[s + HASH] === h && table[s + LENGTH] === len) {
        const at = table[s + OFFSET]!;
        // native compare: label lists are a few hundred bytes, where it beats a JS loop
        if (buf.compare(this.arena, at, at + len, start, end) === 0) return this.entries[entry - 1];
      }
    }
    return undefined;
  }

  /** caches labels for the bytes the last find() missed */
  remember(buf: Buffer, start: number, end: number, labels: LabelPair[]): CachedSeries {
    const len = end - start;
    if (len > this.maxBytes) return transient(labels);
    if (this.entries.length >= this.maxEntries || this.arenaUsed + len > this.maxArenaBytes) {
      this.resets++;
      this.reset(MIN_SLOTS_LOG2);
    } else if (2 * (this.entries.length + 1) > this.mask + 1) this.grow();
    if (this.arenaUsed + len > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.arena.length, this.arenaUsed + len, 64 * 1024));
      this.arena.copy(bigger, 0, 0, this.arenaUsed);
      this.arena = bigger;
    }
    const slot = this.freeSlot(this.lastHash);
    if (slot < 0) return transient(labels); // a chain at MAX_PROBES: not cached
    const entry = knownSeries(labels);
    buf.copy(this.arena, this.arenaUsed, start, end);
    this.entries.push(entry);
    this.put(slot, this.lastHash, this.arenaUsed, len, this.entries.length);
    this.arenaUsed += len;
    return entry;
  }

  /** the first empty slot of h's chain within MAX_PROBES; -1 when there is none */
  private freeSlot(h: number): number {
    for (let i = h & this.mask, probes = 0; probes < MAX_PROBES; i = (i + 1) & this.mask, probes++) if (this.table[4 * i + ENTRY] === 0) return i;
    return -1;
  }

  private put(i: number, h: number, offset: number, len: number, entry: number): void {
    const s = 4 * i;
    this.table[s + HASH] = h;
    this.table[s + OFFSET] = offset;
    this.table[s + LENGTH] = len;
    this.table[s + ENTRY] = entry;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(2 * old.length);
    this.mask = old.length / 2 - 1;
    for (let s = 0; s < old.length; s += 4) {
      if (old[s + ENTRY] === 0) continue;
      // rehashing can move an entry of a crowded chain past MAX_PROBES, where find() would
      // never reach it: such an entry is left out (a cache miss; remembered again if there is room)
      const slot = this.freeSlot(old[s + HASH]!);
      if (slot >= 0) this.put(slot, old[s + HASH]!, old[s + OFFSET]!, old[s + LENGTH]!, old[s + ENTRY]!);
    }
  }

  private reset(slotsLog2: number): void {
    this.table = new Int32Array(4 * 2 ** slotsLog2);
    this.mask = 2 ** slotsLog2 - 1;
    this.entries = [];
    this.arenaUsed = 0;
  }
}

/** a series as first handed out: frozen labels (the store remembers a series id for this very list) and an unclaimed ref */
export const knownSeries = (labels: readonly LabelPair[]): KnownSeries => ({ labels: Object.freeze(labels), ref: { owner: undefined, id: -1, generation: 0 } });

/** a series handed out for this request only (not cached): see KnownSeries.transient */
export const transient = (labels: readonly LabelPair[]): KnownSeries => ({ ...knownSeries(labels), transient: true });

/** the cache's entry bound for a store of maxActiveSeries series: a power of two at least that large */
export const labelCacheEntriesLog2 = (maxActiveSeries: number): number => Math.max(MIN_SLOTS_LOG2, Math.ceil(Math.log2(maxActiveSeries)));
