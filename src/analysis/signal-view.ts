// Memoised reads of one evaluation plus a baseline cache that outlives it. Only short
// recent windows are read per step; pre-wave baselines are read once per wave.
import type { ClusterInfo, SignalName, SignalReader } from '../signals/signal.types.js';
import { finiteValues, lastFinite, median, robustSigma } from './robust-stats.js';

export interface Baseline {
  readonly median: number;
  readonly sigma: number;
  readonly count: number;
}

/** Baselines keyed by cluster|signal|from|to; entries unused by an evaluation are dropped. */
export class BaselineCache {
  private entries = new Map<string, Baseline>();
  private used = new Set<string>();

  get(key: string): Baseline | undefined {
    const hit = this.entries.get(key);
    if (hit) this.used.add(key);
    return hit;
  }

  set(key: string, value: Baseline): void {
    this.entries.set(key, value);
    this.used.add(key);
  }

  /** keep what the last evaluation touched, so memory follows the active waves */
  sweep(): void {
    for (const key of this.entries.keys()) if (!this.used.has(key)) this.entries.delete(key);
    this.used = new Set();
  }

  get size(): number {
    return this.entries.size;
  }
}

export const RECENT_STEPS = 8;

export class SignalView {
  readonly stepMs: number;
  /** aligned time of the newest point */
  readonly nowPointMs: number;
  private readonly recentCache = new Map<string, Float64Array>();
  private readonly infos = new Map<string, ClusterInfo>();

  constructor(
    private readonly reader: SignalReader,
    readonly nowMs: number,
    private readonly baselines: BaselineCache,
  ) {
    this.stepMs = reader.stepMs;
    this.nowPointMs = Math.floor(nowMs / this.stepMs) * this.stepMs;
    for (const info of reader.clusters()) this.infos.set(info.name, info);
  }

  clusterNames(): string[] {
    return [...this.infos.keys()].sort();
  }

  info(cluster: string): ClusterInfo | undefined {
    return this.infos.get(cluster);
  }

  alignedMs(ms: number): number {
    return Math.floor(ms / this.stepMs) * this.stepMs;
  }

  /** the last RECENT_STEPS points ending at the newest point */
  recent(cluster: string, signal: SignalName): Float64Array {
    const key = `${cluster}\u0000${signal}`;
    let values = this.recentCache.get(key);
    if (!values) {
      values = this.reader.values(cluster, signal, this.nowPointMs - (RECENT_STEPS - 1) * this.stepMs, this.nowPointMs);
      this.recentCache.set(key, values);
    }
    return values;
  }

  range(cluster: string, signal: SignalName, fromMs: number, toMs: number): Float64Array {
    return this.reader.values(cluster, signal, fromMs, toMs);
  }

  /** newest finite recent value, NaN when none */
  latest(cluster: string, signal: SignalName): number {
    return lastFinite(this.recent(cluster, signal), 1)[0] ?? Number.NaN;
  }

  /** median of the newest `points` finite recent values */
  level(cluster: string, signal: SignalName, points: number): number {
    return median(lastFinite(this.recent(cluster, signal), points));
  }

  /**
   * Median and robust σ over [fromMs, toMs]. Cached only once the cluster has reported past
   * the window, so a cached value equals what a fresh read would give.
   */
  baseline(cluster: string, signal: SignalName, fromMs: number, toMs: number): Baseline {
    const key = `${cluster}\u0000${signal}\u0000${fromMs}\u0000${toMs}`;
    const hit = this.baselines.get(key);
    if (hit) return hit;
    const values = finiteValues(this.reader.values(cluster, signal, fromMs, toMs));
    const center = median(values);
    const result: Baseline = { median: center, sigma: robustSigma(values, center), count: values.length };
    const last = this.infos.get(cluster)?.lastSampleMs;
    if (last !== undefined && last >= toMs + this.stepMs) this.baselines.set(key, result);
    return result;
  }
}
