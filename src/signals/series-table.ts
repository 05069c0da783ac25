// State of every active raw series as parallel typed arrays indexed by a small id, so a
// sample touches numbers only. The key (all labels) is held once, in the map.
export class SeriesTable {
  private readonly ids = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  private free: number[] = [];
  lastT = new Float64Array(1024);
  /** last raw value; NaN before the first sample and after a stale marker */
  lastV = new Float64Array(1024);
  cluster = new Int32Array(1024);
  profile = new Int32Array(1024);
  /** ids in use are below this */
  highWater = 0;

  get size(): number {
    return this.ids.size;
  }

  find(key: string): number | undefined {
    return this.ids.get(key);
  }

  alive(id: number): boolean {
    return this.keys[id] !== undefined;
  }

  add(key: string, cluster: number, profile: number): number {
    const id = this.free.pop() ?? this.highWater++;
    if (id >= this.lastT.length) this.grow();
    this.ids.set(key, id);
    this.keys[id] = key;
    this.lastT[id] = -Infinity;
    this.lastV[id] = Number.NaN;
    this.cluster[id] = cluster;
    this.profile[id] = profile;
    return id;
  }

  remove(id: number): void {
    const key = this.keys[id];
    if (key === undefined) return;
    this.ids.delete(key);
    this.keys[id] = undefined;
    this.free.push(id);
  }

  private grow(): void {
    const n = this.lastT.length * 2;
    this.lastT = grown(this.lastT, new Float64Array(n));
    this.lastV = grown(this.lastV, new Float64Array(n));
    this.cluster = grown(this.cluster, new Int32Array(n));
    this.profile = grown(this.profile, new Int32Array(n));
  }
}

function grown<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
