// An in-memory SignalReader for tests and benchmarks. A cutoff hides everything after a
// time, so one prepared fleet can be replayed step by step as ingestion would see it.
import type { ClusterInfo, SignalName, SignalReader } from '../../signals/signal.types.js';

interface Series {
  readonly firstMs: number;
  readonly values: Float64Array;
}

export interface MemoryClusterInfo {
  readonly nodes?: number;
  readonly capacitySeats?: number;
}

export class MemorySignalReader implements SignalReader {
  private readonly data = new Map<string, Map<SignalName, Series>>();
  private readonly infos = new Map<string, MemoryClusterInfo>();
  cutoffMs = Number.POSITIVE_INFINITY;

  constructor(
    readonly stepMs: number,
    private readonly defaultCapacitySeats = 600,
  ) {}

  setInfo(cluster: string, info: MemoryClusterInfo): void {
    this.infos.set(cluster, info);
    if (!this.data.has(cluster)) this.data.set(cluster, new Map<SignalName, Series>());
  }

  /** values at fromMs, fromMs+step, …; NaN marks a missing point */
  set(cluster: string, signal: SignalName, fromMs: number, values: ArrayLike<number>): void {
    let signals = this.data.get(cluster);
    if (!signals) this.data.set(cluster, (signals = new Map<SignalName, Series>()));
    const firstMs = Math.floor(fromMs / this.stepMs) * this.stepMs;
    signals.set(signal, { firstMs, values: Float64Array.from(values) });
    this.names.delete(cluster);
  }

  get(cluster: string, signal: SignalName): Series | undefined {
    return this.data.get(cluster)?.get(signal);
  }

  /** stop a cluster's points from `fromMs` on (a cluster that went silent) */
  silence(cluster: string, fromMs: number, signals?: readonly SignalName[]): void {
    for (const [name, s] of this.data.get(cluster) ?? []) {
      if (signals && !signals.includes(name)) continue;
      const start = Math.max(0, Math.ceil((fromMs - s.firstMs) / this.stepMs));
      s.values.fill(Number.NaN, start);
    }
  }

  /** the newest finite point at or before the cutoff */
  private lastSample(cluster: string): number | undefined {
    const cutoff = this.alignedCutoff();
    let newest = Number.NEGATIVE_INFINITY;
    for (const s of this.data.get(cluster)?.values() ?? []) {
      const end = Math.min(s.values.length - 1, Math.floor((cutoff - s.firstMs) / this.stepMs));
      for (let i = end; i >= 0; i--) {
        if (Number.isFinite(s.values[i]!)) {
          newest = Math.max(newest, s.firstMs + i * this.stepMs);
          break;
        }
      }
    }
    return newest === Number.NEGATIVE_INFINITY ? undefined : newest;
  }

  private alignedCutoff(): number {
    return Number.isFinite(this.cutoffMs) ? Math.floor(this.cutoffMs / this.stepMs) * this.stepMs : this.cutoffMs;
  }

  watermarkMs(): number | undefined {
    let max: number | undefined;
    for (const c of this.data.keys()) {
      const last = this.lastSample(c);
      if (last !== undefined && (max === undefined || last > max)) max = last;
    }
    return max;
  }

  clusters(): readonly ClusterInfo[] {
    return [...this.data.keys()].sort().map((c) => this.cluster(c)!);
  }

  cluster(name: string): ClusterInfo | undefined {
    const signals = this.data.get(name);
    if (!signals) return undefined;
    const info = this.infos.get(name) ?? {};
    return {
      name,
      nodes: info.nodes,
      capacitySeats: info.capacitySeats ?? this.defaultCapacitySeats,
      lastSampleMs: this.lastSample(name),
      signals: this.signalNames(name),
    };
  }

  private readonly names = new Map<string, readonly SignalName[]>();

  private signalNames(cluster: string): readonly SignalName[] {
    let names = this.names.get(cluster);
    if (!names) this.names.set(cluster, (names = [...(this.data.get(cluster)?.keys() ?? [])].sort()));
    return names;
  }

  values(cluster: string, signal: SignalName, fromMs: number, toMs: number): Float64Array {
    const from = Math.floor(fromMs / this.stepMs) * this.stepMs;
    const length = Math.max(0, Math.floor((toMs - from) / this.stepMs) + 1);
    const out = new Float64Array(length).fill(Number.NaN);
    const s = this.data.get(cluster)?.get(signal);
    if (!s) return out;
    const cutoff = this.alignedCutoff();
    for (let i = 0; i < length; i++) {
      const t = from + i * this.stepMs;
      if (t > cutoff) break;
      const k = (t - s.firstMs) / this.stepMs;
      if (k >= 0 && k < s.values.length) out[i] = s.values[k]!;
    }
    return out;
  }
}
