import { hashLabels } from './series-key.js';
import type { LabelPair } from './signal.types.js';

const EMPTY = -1;
const DELETED = -2;

// State of every active raw series as parallel typed arrays indexed by a small id, so a
// sample touches numbers only. Series are found through an open-addressing table keyed by
// the 64-bit label hash (typed arrays: no allocation per lookup, ~40 bytes per series).
// A hash hit is confirmed by comparing the labels, which are kept by reference (decoders
// share the strings), so two series that collide stay two series.
export class SeriesTable {
  private readonly hash = new Int32Array(2);
  private live = new Uint8Array(1024);
  /** changes whenever an id is added or removed, so a remembered id can be checked */
  private generations = new Int32Array(1024);
  private hashLo = new Int32Array(1024);
  private hashHi = new Int32Array(1024);
  private slots = new Int32Array(2048).fill(EMPTY);
  private used = 0;
  private free: number[] = [];
  private count = 0;
  lastT = new Float64Array(1024);
  /** last raw value; NaN before the first sample and after a stale marker */
  lastV = new Float64Array(1024);
  cluster = new Int32Array(1024);
  profile = new Int32Array(1024);
  private labels: (readonly LabelPair[] | undefined)[] = [];
  /** ids in use are below this */
  highWater = 0;

  /** `hash` is replaceable so tests can force collisions */
  constructor(private readonly hashOf: (labels: readonly LabelPair[], out: Int32Array) => void = hashLabels) {}

  get size(): number {
    return this.count;
  }

  generation(id: number): number {
    return this.generations[id]!;
  }

  alive(id: number): boolean {
    return this.live[id] === 1;
  }

  /** id of the series with these (name-sorted) labels, -1 when unknown */
  find(labels: readonly LabelPair[]): number {
    this.hashOf(labels, this.hash);
    const lo = this.hash[0]!;
    const hi = this.hash[1]!;
    const mask = this.slots.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const id = this.slots[i]!;
      if (id === EMPTY) return -1;
      if (id >= 0 && this.hashLo[id] === lo && this.hashHi[id] === hi && sameLabels(this.labels[id]!, labels)) return id;
    }
  }

  /** adds the series whose labels the last find() missed */
  add(labels: readonly LabelPair[], cluster: number, profile: number): number {
    const id = this.free.pop() ?? this.highWater++;
    if (id >= this.lastT.length) this.grow();
    this.hashOf(labels, this.hash);
    this.hashLo[id] = this.hash[0]!;
    this.hashHi[id] = this.hash[1]!;
    this.live[id] = 1;
    this.generations[id] = (this.generations[id]! + 1) | 0;
    this.insert(id);
    this.count++;
    if (this.used * 3 > this.slots.length * 2) this.rehash();
    this.lastT[id] = -Infinity;
    this.lastV[id] = Number.NaN;
    this.cluster[id] = cluster;
    this.profile[id] = profile;
    this.labels[id] = labels;
    return id;
  }

  remove(id: number): void {
    if (this.live[id] !== 1) return;
    const mask = this.slots.length - 1;
    for (let i = this.hashLo[id]! & mask; this.slots[i] !== EMPTY; i = (i + 1) & mask) {
      if (this.slots[i] === id) {
        this.slots[i] = DELETED;
        break;
      }
    }
    this.live[id] = 0;
    this.labels[id] = undefined;
    this.generations[id] = (this.generations[id]! + 1) | 0;
    this.free.push(id);
    this.count--;
  }

  private insert(id: number): void {
    const mask = this.slots.length - 1;
    let i = this.hashLo[id]! & mask;
    while (this.slots[i]! >= 0) i = (i + 1) & mask;
    if (this.slots[i] === EMPTY) this.used++;
    this.slots[i] = id;
  }

  /** rebuilds the table without deleted slots, twice as large when it is mostly live */
  private rehash(): void {
    const size = this.count * 3 > this.slots.length ? this.slots.length * 2 : this.slots.length;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.used = 0;
    for (let id = 0; id < this.highWater; id++) if (this.live[id] === 1) this.insert(id);
  }

  private grow(): void {
    const n = this.lastT.length * 2;
    this.lastT = grown(this.lastT, new Float64Array(n));
    this.lastV = grown(this.lastV, new Float64Array(n));
    this.cluster = grown(this.cluster, new Int32Array(n));
    this.profile = grown(this.profile, new Int32Array(n));
    this.hashLo = grown(this.hashLo, new Int32Array(n));
    this.hashHi = grown(this.hashHi, new Int32Array(n));
    this.live = grown(this.live, new Uint8Array(n));
    this.generations = grown(this.generations, new Int32Array(n));
  }
}

function sameLabels(a: readonly LabelPair[], b: readonly LabelPair[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.name !== b[i]!.name || a[i]!.value !== b[i]!.value) return false;
  return true;
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
