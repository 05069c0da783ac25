import type { LabelPair } from '../src/signals/signal.types.js';
import { ClusterEmitter } from './cluster-emitter.js';
import { ClusterModel, type ClusterFrame } from './cluster-model.js';
import { rolloutItems, type RolloutItem } from './deploy-events.js';
import type { Scenario } from './scenario.types.js';
import type { SampleSink } from './target-series.js';

// The simulator's public generator: pure (no I/O), deterministic for a seed, in event-time order.

/** One scrape of the whole fleet: series i has labels[i] and values[i] (stale markers keep their NaN bits). */
export interface ScrapeTick {
  readonly kind: 'scrape';
  readonly atMs: number;
  readonly labels: readonly (readonly LabelPair[])[];
  readonly values: Float64Array;
}

export type SimulationItem = ScrapeTick | RolloutItem;

class TickBuffer implements SampleSink {
  labels: (readonly LabelPair[])[] = [];
  values = new Float64Array(4096);

  push(labels: readonly LabelPair[], value: number): void {
    const i = this.labels.length;
    if (i === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.labels.push(labels);
    this.values[i] = value;
  }

  take(atMs: number): ScrapeTick {
    const tick: ScrapeTick = { kind: 'scrape', atMs, labels: this.labels, values: this.values.slice(0, this.labels.length) };
    this.labels = [];
    return tick;
  }
}

export function scrapeTimes(scenario: Scenario): number[] {
  const times: number[] = [];
  for (let t = scenario.startMs; t <= scenario.endMs; t += scenario.intervalMs) times.push(t);
  return times;
}

/** Every scrape of every cluster, with the rollout's deploy events and gate points in between. */
export function* simulate(scenario: Scenario): Generator<SimulationItem> {
  const models = scenario.clusters.map((c) => new ClusterModel(scenario, c));
  const emitters = models.map((m) => new ClusterEmitter(scenario, m));
  const events = rolloutItems(scenario);
  let next = 0;
  const buffer = new TickBuffer();
  for (const t of scrapeTimes(scenario)) {
    while (next < events.length && events[next]!.atMs <= t) yield events[next++]!;
    models.forEach((m, i) => emitters[i]!.emit(m.step(t), buffer));
    yield buffer.take(t);
  }
  while (next < events.length && events[next]!.atMs <= scenario.endMs) yield events[next++]!;
}

/** The physical frames only (no series): what the ground truth and the analysis tests read. */
export function simulateFrames(scenario: Scenario): { model: ClusterModel; frames: ClusterFrame[] }[] {
  const out = scenario.clusters.map((c) => ({ model: new ClusterModel(scenario, c), frames: [] as ClusterFrame[] }));
  for (const t of scrapeTimes(scenario)) for (const o of out) o.frames.push(o.model.step(t));
  return out;
}

/** The RawSeries of one tick, one sample per series, as remote_write sends them. */
export function tickSeries(tick: ScrapeTick): { labels: readonly LabelPair[]; samples: { value: number; timestampMs: number }[] }[] {
  return tick.labels.map((labels, i) => ({ labels, samples: [{ value: tick.values[i]!, timestampMs: tick.atMs }] }));
}
