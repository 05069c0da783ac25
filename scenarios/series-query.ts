import type { LabelPair } from '../src/signals/signal.types.js';
import type { ScrapeTick } from './fleet-simulator.js';

// Small helpers to read generated ticks back (tests, scoring, the exporter).

export function labelValue(labels: readonly LabelPair[], name: string): string | undefined {
  for (const l of labels) if (l.name === name) return l.value;
  return undefined;
}

const keys = new WeakMap<readonly LabelPair[], string>();

/** Label arrays are reused scrape after scrape, so their keys are computed once. */
export function seriesKey(labels: readonly LabelPair[]): string {
  let key = keys.get(labels);
  if (key === undefined) {
    key = labels.map((l) => `${l.name}=${l.value}`).join(',');
    keys.set(labels, key);
  }
  return key;
}

/** counters: values only go up between resets */
export function isCounterName(metric: string): boolean {
  return /_(total|bucket|count|sum)$/.test(metric);
}

/**
 * Per-interval increase of a counter summed over the matching series of one cluster, tick
 * by tick (resets count from zero, stale markers and first samples add nothing).
 */
export class IncreaseTracker {
  private readonly last = new Map<string, number>();

  constructor(private readonly match: (labels: readonly LabelPair[]) => boolean) {}

  increase(tick: ScrapeTick): number {
    let sum = 0;
    tick.labels.forEach((labels, i) => {
      if (!this.match(labels)) return;
      const v = tick.values[i]!;
      const key = seriesKey(labels);
      if (Number.isNaN(v)) {
        this.last.delete(key);
        return;
      }
      const prev = this.last.get(key);
      if (prev !== undefined) sum += v >= prev ? v - prev : v;
      this.last.set(key, v);
    });
    return sum;
  }
}

export const metricIs =
  (metric: string, cluster: string, extra: Record<string, string> = {}) =>
  (labels: readonly LabelPair[]): boolean =>
    labels[0]?.value === metric && labelValue(labels, 'cluster') === cluster && Object.entries(extra).every(([k, v]) => labelValue(labels, k) === v);
