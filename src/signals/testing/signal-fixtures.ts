import { defaultCatalog } from '../signal-catalog.js';
import { mergeSpecs } from '../signal-definitions.js';
import { SignalStore, type SignalStoreOptions } from '../signal-store.js';
import type { SignalDefinitionConfig } from '../../config/config.schema.js';
import type { RawSeries } from '../signal.types.js';

// Helpers for specs: a store on the default catalog and scrape-like series.

export const STEP_MS = 15_000;
/** an arbitrary aligned start (2024-12-11T22:00:00Z) */
export const T0 = Date.UTC(2024, 11, 11, 22, 0, 0);

export function testStore(
  overrides: Partial<Omit<SignalStoreOptions, 'specs'>> & { definitions?: SignalDefinitionConfig[]; clusters?: Record<string, { nodes?: number; capacitySeats?: number }> } = {},
): SignalStore {
  const clusters = overrides.clusters ?? {};
  return new SignalStore({
    stepMs: STEP_MS,
    windowMs: 3 * 3600_000,
    lookbackMs: 5 * 60_000,
    idleMs: 10 * 60_000,
    clusterLabel: 'cluster',
    maxActiveSeries: 100_000,
    defaults: {
      nodes: (c) => clusters[c]?.nodes,
      capacitySeats: (c) => clusters[c]?.capacitySeats,
      seatsPerInstance: 600,
    },
    ...overrides,
    specs: mergeSpecs(defaultCatalog(), overrides.definitions ?? []),
  });
}

export function series(labels: Record<string, string>, samples: ReadonlyArray<readonly [number, number]>): RawSeries {
  return {
    labels: Object.entries(labels)
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    samples: samples.map(([timestampMs, value]) => ({ timestampMs, value })),
  };
}

export interface Target {
  readonly labels: Record<string, string>;
  /** value at time t (ms); undefined means no sample at that scrape */
  readonly value: (t: number) => number | undefined;
}

/**
 * Scrapes every target each interval from..to (target i shifted by offsets[i], default 0)
 * and appends the samples in time order, one append per interval, like remote_write.
 */
export function scrape(store: SignalStore, targets: readonly Target[], fromMs: number, toMs: number, intervalMs: number, offsets: readonly number[] = []): void {
  for (let tick = fromMs; tick <= toMs; tick += intervalMs) {
    const batch: RawSeries[] = [];
    targets.forEach((target, i) => {
      const t = tick + (offsets[i] ?? 0);
      const v = t <= toMs ? target.value(t) : undefined;
      if (v !== undefined) batch.push(series(target.labels, [[t, v]]));
    });
    store.append(batch);
  }
}

/** finite values of a signal over [from, to] */
export function finite(store: SignalStore, cluster: string, signal: string, fromMs: number, toMs: number): number[] {
  return [...store.values(cluster, signal, fromMs, toMs)].filter((v) => !Number.isNaN(v));
}
