import type { LabelPair } from '../src/signals/signal.types.js';
import { STALE_NAN } from './stale-marker.js';

// The series of one scrape target (an apiserver or CoreDNS instance). Series are produced in
// the same order every scrape, so each one lives in a slot: labels are built once, counters
// accumulate in place and stay integers, as real counters do.

export type LabelSet = Record<string, string>;

export function toLabelPairs(name: string, labels: LabelSet): readonly LabelPair[] {
  const pairs: LabelPair[] = [{ name: '__name__', value: name }];
  for (const [k, v] of Object.entries(labels)) if (v !== '') pairs.push({ name: k, value: v });
  return pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface SampleSink {
  push(labels: readonly LabelPair[], value: number): void;
}

export class TargetSeries {
  private readonly labels: (readonly LabelPair[])[] = [];
  private readonly values: number[] = [];
  private exact = new Float64Array(256);
  private cursor = 0;
  /** counters of a process that has been up a while start high, not at zero */
  private uptimeIntervals: number;
  /** series were emitted at the last scrape (so a failed scrape owes stale markers) */
  private live = false;

  constructor(
    readonly job: string,
    readonly instance: string,
    readonly common: LabelSet,
    uptimeIntervals: number,
  ) {
    this.uptimeIntervals = uptimeIntervals;
  }

  begin(): void {
    this.cursor = 0;
  }

  private slot(name: string, labels: LabelSet | (() => LabelSet)): number {
    const i = this.cursor++;
    if (i === this.labels.length) {
      this.labels.push(toLabelPairs(name, { ...this.common, ...(typeof labels === 'function' ? labels() : labels) }));
      this.values.push(0);
      if (i >= this.exact.length) {
        const grown = new Float64Array(this.exact.length * 2);
        grown.set(this.exact);
        this.exact = grown;
      }
    }
    return i;
  }

  counter(name: string, labels: LabelSet | (() => LabelSet), increment: number): void {
    const i = this.slot(name, labels);
    const inc = Math.max(0, increment);
    const start = this.exact[i] === 0 && this.uptimeIntervals > 0 ? inc * this.uptimeIntervals : 0;
    this.exact[i] = this.exact[i]! + start + inc;
    this.values[i] = Math.floor(this.exact[i]);
  }

  /**
   * A histogram's _bucket (cumulative per le), _sum and _count; labels are built only on the
   * first scrape, which keeps thousands of bucket series per scrape cheap.
   */
  histogram(name: string, labels: LabelSet, le: readonly string[], bucketIncrements: Float64Array, count: number, sum: number): void {
    for (let b = 0; b < le.length; b++) this.counter(`${name}_bucket`, () => ({ ...labels, le: le[b]! }), Math.min(bucketIncrements[b]!, count));
    this.counter(`${name}_bucket`, () => ({ ...labels, le: '+Inf' }), count);
    this.floatCounter(`${name}_sum`, labels, sum);
    this.counter(`${name}_count`, labels, count);
  }

  /** sum counters (e.g. _sum of a histogram) are floats */
  floatCounter(name: string, labels: LabelSet, increment: number): void {
    const i = this.slot(name, labels);
    const inc = Math.max(0, increment);
    const start = this.exact[i] === 0 && this.uptimeIntervals > 0 ? inc * this.uptimeIntervals : 0;
    this.exact[i] = this.exact[i]! + start + inc;
    this.values[i] = Math.round(this.exact[i] * 1e6) / 1e6;
  }

  gauge(name: string, labels: LabelSet | (() => LabelSet), value: number): void {
    const i = this.slot(name, labels);
    this.values[i] = value;
  }

  /** A successful scrape: every series and up=1. */
  emit(sink: SampleSink, up: readonly LabelPair[]): void {
    this.uptimeIntervals = 0;
    for (let i = 0; i < this.cursor; i++) sink.push(this.labels[i]!, this.values[i]!);
    sink.push(up, 1);
    this.live = true;
  }

  /** A failed scrape: up=0, and stale markers for what the last scrape had, as Prometheus does. */
  fail(sink: SampleSink, up: readonly LabelPair[] | null): void {
    this.markStale(sink);
    if (up) sink.push(up, 0);
  }

  markStale(sink: SampleSink): void {
    if (!this.live) return;
    for (let i = 0; i < this.labels.length; i++) sink.push(this.labels[i]!, STALE_NAN);
    this.live = false;
  }

  /** The process restarted: counters begin again from zero. */
  resetCounters(): void {
    this.exact.fill(0);
    this.uptimeIntervals = 0;
  }
}
