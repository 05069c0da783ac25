// Realistic healthy windows for a synthetic fleet (seeded noise, load that grows with
// cluster size), plus overlays that inject a wave's effect, a ramp or an outage.
import { SIGNALS } from '../../signals/signal.types.js';
import { MemorySignalReader } from './memory-signal-reader.js';

export interface SyntheticCluster {
  readonly name: string;
  readonly nodes: number;
  readonly capacitySeats?: number;
}

export interface FleetOptions {
  readonly clusters: readonly SyntheticCluster[];
  readonly stepMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly seed?: number;
  /** relative noise of every signal */
  readonly noise?: number;
}

/** mulberry32: small, seeded, good enough for test noise */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Level = (c: SyntheticCluster) => number;

const HEALTHY: ReadonlyArray<readonly [string, Level, boolean]> = [
  [SIGNALS.apiBusySeats, (c) => 8 + 0.03 * c.nodes, true],
  [SIGNALS.apiRequestRate, (c) => 40 + 0.8 * c.nodes, true],
  [SIGNALS.apiReadRate, (c) => 25 + 0.5 * c.nodes, true],
  [SIGNALS.apiWatchRate, (c) => 5 + 0.1 * c.nodes, true],
  [SIGNALS.apiMutatingRate, (c) => 10 + 0.2 * c.nodes, true],
  [SIGNALS.apiRejectedRate, () => 0, false],
  [SIGNALS.apiErrorRatio, () => 0.002, true],
  [SIGNALS.apiLatencyP99, () => 0.12, true],
  [SIGNALS.apiInflight, (c) => 10 + 0.03 * c.nodes, true],
  [SIGNALS.nodes, (c) => c.nodes, false],
  [SIGNALS.apiCapacitySeats, (c) => c.capacitySeats ?? 600, false],
  [SIGNALS.dnsRequestRate, (c) => 200 + 2 * c.nodes, true],
  [SIGNALS.dnsServfailRatio, () => 0.0004, true],
  [SIGNALS.dnsCacheHitRatio, () => 0.9, false],
  [SIGNALS.dnsMissFailureRatio, () => 0.002, true],
  [SIGNALS.dnsServedStaleRate, () => 0, false],
  [SIGNALS.targetsUp, () => 3, false],
  [SIGNALS.targetsDown, () => 0, false],
];

export function stepsOf(o: Pick<FleetOptions, 'fromMs' | 'toMs' | 'stepMs'>): number {
  return Math.floor((o.toMs - o.fromMs) / o.stepMs) + 1;
}

export function syntheticFleet(options: FleetOptions): MemorySignalReader {
  const reader = new MemorySignalReader(options.stepMs);
  const random = seededRandom(options.seed ?? 1);
  const noise = options.noise ?? 0.02;
  const steps = stepsOf(options);
  for (const c of options.clusters) {
    reader.setInfo(c.name, { nodes: c.nodes, capacitySeats: c.capacitySeats ?? 600 });
    for (const [signal, level, noisy] of HEALTHY) {
      const base = level(c);
      const values = new Float64Array(steps);
      for (let i = 0; i < steps; i++) values[i] = noisy ? base * (1 + noise * (2 * random() - 1)) : base;
      reader.set(c.name, signal, options.fromMs, values);
    }
  }
  return reader;
}

/** rewrite a signal of a cluster from `fromMs` on: value = f(value, seconds since fromMs) */
export function overlay(
  reader: MemorySignalReader,
  cluster: string,
  signal: string,
  fromMs: number,
  f: (value: number, elapsedSeconds: number) => number,
): void {
  const s = reader.get(cluster, signal);
  if (!s) throw new Error(`no ${signal} for ${cluster}`);
  for (let i = 0; i < s.values.length; i++) {
    const t = s.firstMs + i * reader.stepMs;
    if (t >= fromMs && Number.isFinite(s.values[i]!)) s.values[i] = f(s.values[i]!, (t - fromMs) / 1000);
  }
}

/** the first aligned time from `fromMs` at which `predicate` holds, for ground truth */
export function firstTimeWhere(reader: MemorySignalReader, cluster: string, signal: string, fromMs: number, predicate: (v: number) => boolean): number | undefined {
  const s = reader.get(cluster, signal);
  if (!s) return undefined;
  for (let i = 0; i < s.values.length; i++) {
    const t = s.firstMs + i * reader.stepMs;
    if (t >= fromMs && predicate(s.values[i]!)) return t;
  }
  return undefined;
}
