// Memoised reads of one evaluation plus a baseline cache that outlives it. Only short
// recent windows are read per step; pre-wave baselines are read once per wave.
import type { ClusterInfo, SignalName, SignalReader } from '../signals/signal.types.js';
import { finiteValues, lastFinite, median, robustSigma } from './robust-stats.js';

export interface Baseline {
  readonly median: number;
  readonly sigma: number;
  readonly count: number;
}

interface CachedBaseline {
  readonly toMs: number;
  readonly value: Baseline;
  generation: number;
}

/** Baselines by cluster, signal and window; entries unused by an evaluation are dropped. */
export class BaselineCache {
  private readonly entries = new Map<string, Map<string, Map<number, CachedBaseline>>>();
  private generation = 0;

  get(cluster: string, signal: string, fromMs: number, toMs: number): Baseline | undefined {
    const hit = this.entries.get(cluster)?.get(signal)?.get(fromMs);
    if (!hit || hit.toMs !== toMs) return undefined;
    hit.generation = this.generation;
    return hit.value;
  }

  set(cluster: string, signal: string, fromMs: number, toMs: number, value: Baseline): void {
    let bySignal = this.entries.get(cluster);
    if (!bySignal) this.entries.set(cluster, (bySignal = new Map<string, Map<number, CachedBaseline>>()));
    let byWindow = bySignal.get(signal);
    if (!byWindow) bySignal.set(signal, (byWindow = new Map<number, CachedBaseline>()));
    byWindow.set(fromMs, { toMs, value, generation: this.generation });
  }

  /** keep what the last evaluation touched, so memory follows the active waves */
  sweep(): void {
    for (const [cluster, bySignal] of this.entries) {
      for (const [signal, byWindow] of bySignal) {
        for (const [from, entry] of byWindow) if (entry.generation !== this.generation) byWindow.delete(from);
        if (byWindow.size === 0) bySignal.delete(signal);
      }
      if (bySignal.size === 0) this.entries.delete(cluster);
    }
    this.generation++;
  }

  get size(): number {
    let n = 0;
    for (const bySignal of this.entries.values()) for (const byWindow of bySignal.values()) n += byWindow.size;
    return n;
  }
}

export const RECENT_STEPS = 8;

export class SignalView {
  readonly stepMs: number;
  /** aligned time of the newest point */
  readonly nowPointMs: number;
  private readonly recentCache = new Map<string, Map<SignalName, Float64Array>>();
  private readonly infos = new Map<string, ClusterInfo>();
  private readonly names: readonly string[];

  constructor(
    private readonly reader: SignalReader,
    readonly nowMs: number,
    private readonly baselines: BaselineCache,
  ) {
    this.stepMs = reader.stepMs;
    this.nowPointMs = Math.floor(nowMs / this.stepMs) * this.stepMs;
    // as of nowMs: ingestion may have run ahead of the evaluated step (replays, catch-up)
    for (const current of reader.clusters()) {
      const info = reader.clusterAt ? reader.clusterAt(current.name, nowMs) : current;
      if (info) this.infos.set(info.name, info);
    }
    this.names = [...this.infos.keys()].sort();
  }

  clusterNames(): readonly string[] {
    return this.names;
  }

  info(cluster: string): ClusterInfo | undefined {
    return this.infos.get(cluster);
  }

  /**
   * newest sample of the cluster now, not as of nowMs: only for wall-clock judgements in live
   * use, where the evaluated step lags the wall clock by a step or two and the as-of sample
   * would make a feed that is still arriving look silent
   */
  currentLastSampleMs(cluster: string): number | undefined {
    return this.reader.cluster(cluster)?.lastSampleMs;
  }

  alignedMs(ms: number): number {
    return Math.floor(ms / this.stepMs) * this.stepMs;
  }

  /** the last RECENT_STEPS points ending at the newest point */
  recent(cluster: string, signal: SignalName): Float64Array {
    let bySignal = this.recentCache.get(cluster);
    if (!bySignal) this.recentCache.set(cluster, (bySignal = new Map<SignalName, Float64Array>()));
    let values = bySignal.get(signal);
    if (!values) {
      values = this.read(cluster, signal, this.nowPointMs - (RECENT_STEPS - 1) * this.stepMs, this.nowPointMs);
      bySignal.set(signal, values);
    }
    return values;
  }

  range(cluster: string, signal: SignalName, fromMs: number, toMs: number): Float64Array {
    return this.read(cluster, signal, fromMs, toMs);
  }

  /** points as they were at nowMs: those not final by then read as NaN */
  private read(cluster: string, signal: SignalName, fromMs: number, toMs: number): Float64Array {
    const values = this.reader.values(cluster, signal, fromMs, toMs);
    const finalBefore = this.infos.get(cluster)?.completeBeforeMs;
    if (finalBefore === undefined) return values;
    const first = Math.max(0, Math.ceil((finalBefore - this.alignedMs(fromMs)) / this.stepMs));
    if (first < values.length) values.fill(Number.NaN, first);
    return values;
  }

  /** newest finite recent value, NaN when none */
  latest(cluster: string, signal: SignalName): number {
    const values = this.recent(cluster, signal);
    for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i]!)) return values[i]!;
    return Number.NaN;
  }

  /** median of the newest `points` finite values at or before atMs (within 4 × points steps) */
  levelAt(cluster: string, signal: SignalName, points: number, atMs: number): number {
    const to = this.alignedMs(Math.min(atMs, this.nowPointMs));
    return median(lastFinite(this.range(cluster, signal, to - (4 * points - 1) * this.stepMs, to), points));
  }

  /** median of the newest `points` finite recent values */
  level(cluster: string, signal: SignalName, points: number): number {
    return median(lastFinite(this.recent(cluster, signal), points));
  }

  /**
   * Median and robust σ over [fromMs, toMs]. Cached only once the window's points are final
   * (completeBeforeMs, else a step behind the newest sample), so a cached value equals what a
   * fresh read would give.
   */
  baseline(cluster: string, signal: SignalName, fromMs: number, toMs: number): Baseline {
    const hit = this.baselines.get(cluster, signal, fromMs, toMs);
    if (hit) return hit;
    const values = finiteValues(this.read(cluster, signal, fromMs, toMs));
    const center = median(values);
    const result: Baseline = { median: center, sigma: robustSigma(values, center), count: values.length };
    const info = this.infos.get(cluster);
    const final = info?.completeBeforeMs ?? (info?.lastSampleMs === undefined ? undefined : info.lastSampleMs - this.stepMs);
    if (final !== undefined && final > toMs) this.baselines.set(cluster, signal, fromMs, toMs, result);
    return result;
  }
}
