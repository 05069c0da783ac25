import { ClusterWindow, StepScratch, type WindowGeometry } from './cluster-window.js';
import { SeriesTable } from './series-table.js';
import { SignalPlan, TOO_MANY_BUCKETS, TRANSFORM_CODE, type SeriesProfile } from './signal-plan.js';
import type { SignalSpec } from './signal-spec.js';
import { StepEvaluator, type ClusterDefaults } from './step-evaluator.js';
import type { AppendOptions, AppendResult, ClusterInfo, DiscardReason, KnownSeries, LabelPair, RawSeries, SampleColumns, SeriesRef, SeriesSink, SignalName, SignalReader } from './signal.types.js';
import { SIGNALS } from './signal.types.js';

export interface SignalStoreOptions {
  readonly stepMs: number;
  readonly windowMs: number;
  /** how long a gauge value is carried over missing scrapes, and the longest gap a counter increase spans */
  readonly lookbackMs: number;
  /** a series without samples for this long (in its cluster's event time) is forgotten */
  readonly idleMs: number;
  readonly clusterLabel: string;
  readonly maxActiveSeries: number;
  /** clusters with windows; samples of further new clusters are discarded (`max_clusters`) */
  readonly maxClusters?: number;
  /** labels left out of a series' identity: the two replicas of an HA Prometheus pair become one series */
  readonly replicaLabels?: readonly string[];
  /** distinct `le` bounds per histogram; series of further buckets are discarded (`max_histogram_buckets`) */
  readonly maxHistogramBuckets?: number;
  readonly specs: readonly SignalSpec[];
  readonly defaults: ClusterDefaults;
}

/** One finished step of one cluster: signal name → value (missing or NaN = no point). */
export interface FinalPoint {
  /** start of the step, ms (aligned on stepMs) */
  readonly stepMs: number;
  readonly values: Readonly<Record<SignalName, number>>;
}

export interface SignalStoreStats {
  readonly activeSeries: number;
  readonly clusters: number;
  readonly evictedSeries: number;
  readonly evictedClusters: number;
  readonly watermarkMs: number | undefined;
}

const DOWN = TRANSFORM_CODE.down;
const ONE = TRANSFORM_CODE.one;
/** a cluster that received nothing for this many sweeps has its series forgotten */
const SILENT_SWEEPS = 10;
const MAX_READ_POINTS = 1_000_000;
/** event time between sweeps, at least */
const SWEEP_EVERY_MS = 60_000;
/** a series id for "drop these samples, counted under result.discarded" */
const DISCARDED = -3;

/** what identifies a series to the store: its labels, and the decoder's ref when it has one */
type SeriesKey = Pick<RawSeries, 'labels' | 'ref'>;

/** how many entries from i on belong to series[i] (its samples sit next to each other) */
function runLength(series: readonly KnownSeries[], i: number, count: number): number {
  let j = i + 1;
  while (j < count && series[j] === series[i]) j++;
  return j - i;
}

// The signal store: ingest appends raw series, the analysis and the API read fixed-step
// signal windows. Work per sample is a few typed-array updates; labels are matched only
// when a series is first seen; memory follows active series and clusters, not samples.
export class SignalStore implements SeriesSink, SignalReader {
  readonly stepMs: number;
  private readonly plan: SignalPlan;
  private readonly series = new SeriesTable();
  /** by cluster id; undefined once an idle cluster was forgotten (its id is reused) */
  private readonly windows: (ClusterWindow | undefined)[] = [];
  private readonly freeClusterIds: number[] = [];
  private readonly replicaLabels: ReadonlySet<string>;
  private readonly maxClusters: number;
  private readonly clusterIds = new Map<string, number>();
  private readonly geometry: WindowGeometry;
  private readonly evaluator: StepEvaluator;
  private readonly scratch = new StepScratch();
  private readonly dirty: ClusterWindow[] = [];
  private readonly signalNames: readonly SignalName[];
  private readonly lastTouchSweep: number[] = [];
  private watermark = -Infinity;
  private evicted = 0;
  private evictedClusters = 0;
  private sweeps = 0;
  private samplesSinceSweep = 0;
  private nextSweepMs = -Infinity;
  private readonly appendListeners: ((watermarkMs: number) => void)[] = [];

  constructor(private readonly options: SignalStoreOptions) {
    this.stepMs = options.stepMs;
    this.plan = new SignalPlan(options.specs, options.maxHistogramBuckets);
    this.replicaLabels = new Set(options.replicaLabels ?? []);
    this.maxClusters = options.maxClusters ?? Infinity;
    const lookbackSteps = Math.max(1, Math.ceil(options.lookbackMs / options.stepMs));
    this.geometry = {
      stepMs: options.stepMs,
      windowSteps: Math.ceil(options.windowMs / options.stepMs),
      lookbackSteps,
      openSteps: 2 * lookbackSteps + 12,
    };
    this.evaluator = new StepEvaluator(this.plan, options.stepMs / 1000, options.defaults);
    this.signalNames = this.plan.signals.map((s) => s.name);
  }

  wants(metricName: string): boolean {
    return this.plan.wants(metricName);
  }

  wantedMetrics(): readonly string[] {
    return this.plan.metrics();
  }

  /**
   * `options.notAfterMs`: samples newer than this are discarded as `too_far_in_future` (live
   * ingest passes receive time + ingest.maxFutureSeconds). `columns`: more samples, after `batch`.
   */
  append(batch: readonly RawSeries[], options: AppendOptions = {}, columns?: SampleColumns): AppendResult {
    const result: AppendResult = { accepted: 0, outOfOrder: 0, ignored: 0, missingCluster: 0, rejected: 0 };
    const notAfterMs = options.notAfterMs ?? Infinity;
    const sweep = { tried: false };
    for (const raw of batch) {
      const n = raw.samples.length;
      const id = this.resolveOrSweep(raw, result, n, sweep);
      if (id >= 0) for (let i = 0; i < n; i++) this.ingest(id, raw.samples[i]!.timestampMs, raw.samples[i]!.value, result, notAfterMs);
    }
    if (columns !== undefined) {
      const { series, timestamps, values } = columns;
      let last: KnownSeries | undefined;
      let id = -1;
      for (let i = 0; i < columns.count; i++) {
        const s = series[i]!;
        // a series' samples sit next to each other: resolved once
        if (s !== last) {
          last = s;
          id = this.resolveOrSweep(s, result, runLength(series, i, columns.count), sweep);
        }
        if (id >= 0) this.ingest(id, timestamps[i]!, values[i]!, result, notAfterMs);
      }
    }
    for (const w of this.dirty) w.complete();
    this.dirty.length = 0;
    this.samplesSinceSweep += result.accepted;
    if (this.watermark >= this.nextSweepMs && this.samplesSinceSweep >= this.series.size) this.sweep();
    if (result.accepted > 0) for (const listener of this.appendListeners) listener(this.watermark);
    return result;
  }

  /** called after every append that accepted samples (the evaluation starts on it instead of polling) */
  onAppend(listener: (watermarkMs: number) => void): void {
    this.appendListeners.push(listener);
  }

  /**
   * Puts persisted final steps back into a cluster's window (at start, from the database):
   * the same as restoreFinalPoints, one step with all its signal values at a time.
   */
  restoreFinalSteps(cluster: string, points: readonly FinalPoint[]): void {
    const flat: { signal: string; tMs: number; value: number }[] = [];
    for (const p of points) for (const [signal, value] of Object.entries(p.values)) flat.push({ signal, tMs: p.stepMs, value });
    this.restoreFinalPoints(cluster, flat);
  }

  watermarkMs(): number | undefined {
    return this.watermark > -Infinity ? this.watermark : undefined;
  }

  clusters(): readonly ClusterInfo[] {
    const out: ClusterInfo[] = [];
    for (const w of this.windows) if (w) out.push(this.info(w));
    return out;
  }

  cluster(name: string): ClusterInfo | undefined {
    const id = this.clusterIds.get(name);
    return id === undefined ? undefined : this.info(this.windows[id]!);
  }

  /** the cluster as it was at asOfMs (see SignalReader.clusterAt) */
  clusterAt(name: string, asOfMs: number): ClusterInfo | undefined {
    const id = this.clusterIds.get(name);
    if (id === undefined) return undefined;
    const w = this.windows[id]!;
    if (w.watermarkMs <= asOfMs) return this.info(w);
    const then = w.asOf(asOfMs);
    return then === undefined ? undefined : this.info(w, then);
  }

  values(cluster: string, signal: SignalName, fromMs: number, toMs: number): Float64Array {
    const first = Math.floor(fromMs / this.stepMs);
    const n = Math.max(0, Math.floor(toMs / this.stepMs) - first + 1);
    if (!(n <= MAX_READ_POINTS)) throw new RangeError(`range of ${n} points exceeds ${MAX_READ_POINTS}`);
    const out = new Float64Array(n).fill(Number.NaN);
    const id = this.clusterIds.get(cluster);
    const s = this.plan.signalIndex.get(signal);
    if (id === undefined || s === undefined) return out;
    const w = this.windows[id]!;
    for (let i = 0; i < n; i++) out[i] = w.value(s, first + i);
    return out;
  }

  /**
   * Final points of one cluster computed outside this store (pull mode, persisted points):
   * they become the cluster's signal windows as if reduced here, and move its watermark to
   * the end of the newest step. Unknown signals and non-finite values are skipped.
   */
  restoreFinalPoints(cluster: string, points: readonly { signal: string; tMs: number; value: number }[]): void {
    if (points.length === 0 || cluster === '') return;
    const signals = new Int32Array(points.length);
    const steps = new Float64Array(points.length);
    const values = new Float64Array(points.length);
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      const known = this.plan.signalIndex.get(p.signal);
      signals[i] = known !== undefined && Number.isFinite(p.value) && p.tMs >= 0 ? known : -1;
      steps[i] = Math.floor(p.tMs / this.stepMs);
      values[i] = p.value;
    }
    const id = this.clusterOf(cluster);
    const w = this.windows[id]!;
    this.lastTouchSweep[id] = this.sweeps;
    w.restoreFinal(signals, steps, values);
    if (w.watermarkMs > this.watermark) this.watermark = w.watermarkMs;
  }

  stats(): SignalStoreStats {
    return {
      activeSeries: this.series.size,
      clusters: this.windows.length - this.freeClusterIds.length,
      evictedSeries: this.evicted,
      evictedClusters: this.evictedClusters,
      watermarkMs: this.watermarkMs(),
    };
  }

  /** bytes of the signal windows' typed arrays, all clusters (read at scrape time) */
  windowBytes(): number {
    let n = 0;
    for (const w of this.windows) if (w) n += w.bytes();
    return n;
  }

  /**
   * Forgets idle series, and clusters that sent nothing for a window's worth of sweeps and
   * whose data is older than the window; also runs by itself as event time advances.
   */
  sweep(): void {
    this.sweeps++;
    this.samplesSinceSweep = 0;
    this.nextSweepMs = this.watermark + SWEEP_EVERY_MS;
    const idleSweeps = Math.max(SILENT_SWEEPS, Math.ceil(this.options.windowMs / SWEEP_EVERY_MS));
    const forget = this.windows.map(
      (w, c) => w !== undefined && this.sweeps - this.lastTouchSweep[c]! > idleSweeps && w.watermarkMs + this.options.windowMs < this.watermark,
    );
    const { lastT, cluster } = this.series;
    for (let id = 0; id < this.series.highWater; id++) {
      if (!this.series.alive(id)) continue;
      const c = cluster[id]!;
      const silent = this.sweeps - this.lastTouchSweep[c]! > SILENT_SWEEPS;
      if (forget[c]) {
        this.series.remove(id);
        this.evicted++;
      } else if (silent || lastT[id]! + this.options.idleMs < this.windows[c]!.watermarkMs) this.evict(id);
    }
    forget.forEach((gone, c) => {
      if (!gone) return;
      this.clusterIds.delete(this.windows[c]!.name);
      this.windows[c] = undefined;
      this.freeClusterIds.push(c);
      this.evictedClusters++;
    });
  }

  /** series id; -1 when not wanted or without cluster; -2 when refused by the series limit; DISCARDED when over another bound */
  // Decoders hand out the same label list and ref for a series on every request (see
  // LabelSetCache): its id is remembered there, skipping label checks and hashing; the
  // generation catches a series evicted since. What depends on the labels and the (fixed)
  // signal plan alone is remembered too: a series that feeds nothing (a WATCH latency bucket)
  // or has no cluster label. Bounds that depend on the store's state (clusters, buckets,
  // active series) are checked again every time.
  private resolve(raw: SeriesKey, result: AppendResult, samples: number): number {
    const ref = raw.ref;
    if (ref !== undefined && ref.owner === this) {
      const known = ref.id;
      if (known >= 0) {
        if (this.series.generation(known) === ref.generation) return known;
      } else if (known === REF_IGNORED) {
        result.ignored += samples;
        return -1;
      } else if (known === REF_MISSING_CLUSTER) {
        result.missingCluster += samples;
        return -1;
      }
    }
    const id = this.resolveByLabels(raw.labels, result, samples, ref);
    if (ref !== undefined && id >= 0) {
      ref.owner = this;
      ref.id = id;
      ref.generation = this.series.generation(id);
    }
    return id;
  }

  private resolveByLabels(labels: readonly LabelPair[], result: AppendResult, samples: number, ref?: SeriesRef): number {
    let metric = '';
    let clusterName: string | undefined;
    let sorted = true;
    let previous = '';
    let previousFirst = -1;
    let replicas = false;
    const clusterLabel = this.options.clusterLabel;
    const replicaLabels = this.replicaLabels;
    for (const label of labels) {
      const name = label.name;
      if (name === '__name__') metric = label.value;
      else if (name === clusterLabel) clusterName = label.value;
      else if (replicaLabels.size > 0 && replicaLabels.has(name)) replicas = true;
      // remote_write sends labels sorted: compare whole names only when first chars tie
      const first = name.charCodeAt(0);
      if (first < previousFirst || (first === previousFirst && name < previous)) sorted = false;
      previousFirst = first;
      previous = name;
    }
    if (!this.plan.wants(metric)) {
      result.ignored += samples;
      return remember(ref, this, REF_IGNORED);
    }
    if (clusterName === undefined || clusterName === '') {
      result.missingCluster += samples;
      return remember(ref, this, REF_MISSING_CLUSTER);
    }
    // an HA pair's replicas send the same series but for these labels: one identity, so the
    // second copy of each sample is out of order instead of doubling the signal
    const kept = replicas ? labels.filter((l) => !replicaLabels.has(l.name)) : labels;
    const ordered = sorted ? kept : [...kept].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const known = this.series.find(ordered);
    if (known >= 0) return known;
    if (this.series.size >= this.options.maxActiveSeries) return -2;
    const profile = this.plan.profileOf(metric, labels);
    if (profile === TOO_MANY_BUCKETS) return discard(result, 'max_histogram_buckets', samples);
    if (profile < 0) {
      // wanted metric, but these labels feed no signal (e.g. a WATCH latency bucket)
      result.ignored += samples;
      return remember(ref, this, REF_IGNORED);
    }
    const cluster = this.clusterOf(clusterName);
    if (cluster < 0) return discard(result, 'max_clusters', samples);
    return this.series.add(ordered, cluster, profile);
  }

  /** the cluster's id, created on first use; -1 when ingest.maxClusters clusters exist */
  private clusterOf(name: string): number {
    const known = this.clusterIds.get(name);
    if (known !== undefined) return known;
    if (this.windows.length - this.freeClusterIds.length >= this.maxClusters) return -1;
    const id = this.freeClusterIds.pop() ?? this.windows.length;
    this.clusterIds.set(name, id);
    this.windows[id] = new ClusterWindow(name, this.geometry, this.plan.components, this.plan.signals.length, this.evaluator, this.scratch);
    this.lastTouchSweep[id] = this.sweeps;
    return id;
  }

  /** the series' id as resolve() gives it; when the series limit refuses it, sweeps once per append and tries again */
  private resolveOrSweep(raw: SeriesKey, result: AppendResult, samples: number, sweep: { tried: boolean }): number {
    let id = this.resolve(raw, result, samples);
    if (id === -2 && !sweep.tried) {
      sweep.tried = true;
      this.sweep();
      id = this.resolve(raw, result, samples);
    }
    if (id === -2) result.rejected! += samples;
    // the cluster is alive while it sends, even samples that are all out of order
    else if (id >= 0) this.lastTouchSweep[this.series.cluster[id]!] = this.sweeps;
    return id;
  }

  private ingest(id: number, t: number, v: number, result: AppendResult, notAfterMs: number): void {
    const table = this.series;
    const t0 = table.lastT[id]!;
    if (t <= t0) {
      result.outOfOrder++;
      return;
    }
    // before anything moves: one sample from the future would freeze every window ahead of real time
    if (t > notAfterMs) {
      discard(result, 'too_far_in_future', 1);
      return;
    }
    if (!(t >= 0)) {
      result.ignored++;
      return;
    }
    const c = table.cluster[id]!;
    const w = this.windows[c]!;
    const profile = this.plan.profiles[table.profile[id]!]!;
    const { stepMs, lookbackMs } = this.options;
    const v0 = table.lastV[id]!;
    // Any NaN ends the series like a stale marker: V8 keeps the marker's bit pattern in
    // objects but not in number arrays, and a NaN value feeds no signal anyway.
    const stale = v !== v;
    if (w.watermarkMs === -Infinity) w.reposition(Math.floor(t / stepMs));
    if (t - t0 <= lookbackMs) w.noteInterval(t - t0);
    if (t > w.watermarkMs) {
      w.watermarkMs = t;
      w.noteSample(t);
      if (!w.dirty) {
        w.dirty = true;
        this.dirty.push(w);
      }
      if (t > this.watermark) this.watermark = t;
    }
    if (profile.counters.length > 0 && !stale && v0 === v0 && t - t0 <= lookbackMs) {
      this.spread(w, profile.counters, t0, t, v >= v0 ? v - v0 : v);
    }
    if (profile.gauges.length > 0) this.updateGauges(w, profile, t0, v0, t, v, stale);
    if (!stale) for (const m of profile.maxes) w.addMax(m, Math.floor(t / stepMs), v);
    table.lastT[id] = t;
    table.lastV[id] = v;
    result.accepted++;
  }

  /** spreads a counter increase over (t0, t] onto the steps it overlaps, by time */
  private spread(w: ClusterWindow, counters: Int32Array, t0: number, t: number, increase: number): void {
    const stepMs = this.stepMs;
    const half = this.geometry.openSteps;
    const inverse = 1 / (t - t0);
    const last = Math.ceil(t / stepMs) - 1;
    for (let k = Math.floor(t0 / stepMs); k <= last; k++) {
      const slot = w.slot(k);
      if (slot < 0) continue;
      const fraction = (Math.min(t, (k + 1) * stepMs) - Math.max(t0, k * stepMs)) * inverse;
      const part = increase * fraction;
      for (let i = 0; i < counters.length; i++) {
        const acc = w.acc(counters[i]!);
        acc[slot]! += part;
        acc[slot + half]! += fraction;
      }
    }
  }

  /**
   * A series contributes its value from its sample's step until the lookback ends (or, for
   * `down`, 1 forever once stale); a new sample replaces the old contribution from its step on.
   */
  private updateGauges(w: ClusterWindow, p: SeriesProfile, t0: number, v0: number, t: number, v: number, stale: boolean): void {
    const L = this.geometry.lookbackSteps;
    const k = Math.floor(t / this.stepMs);
    const existed = t0 > -Infinity;
    const k0end = existed ? Math.floor(t0 / this.stepMs) + L + 1 : -Infinity;
    for (let i = 0; i < p.gauges.length; i++) {
      const g = p.gauges[i]!;
      const transform = p.gaugeTransforms[i]!;
      if (existed) {
        const wasStale = v0 !== v0;
        const end = wasStale ? (transform === DOWN ? Infinity : -Infinity) : k0end;
        if (k < end) {
          const c0 = wasStale ? 1 : contribution(transform, v0);
          w.addGauge(g, k, -c0, -1);
          if (end !== Infinity) w.addGauge(g, end, c0, 1);
        }
      }
      if (!stale) {
        const c1 = contribution(transform, v);
        w.addGauge(g, k + L + 1, -c1, -1);
        w.addGauge(g, k, c1, 1);
      } else if (transform === DOWN) w.addGauge(g, k, 1, 1);
    }
  }

  private evict(id: number): void {
    const table = this.series;
    const t0 = table.lastT[id]!;
    // a stale `up` counted as down until now: end that contribution where the series went idle
    if (t0 > -Infinity && table.lastV[id]! !== table.lastV[id]!) {
      const p = this.plan.profiles[table.profile[id]!]!;
      const w = this.windows[table.cluster[id]!]!;
      const k = Math.floor((t0 + this.options.idleMs) / this.stepMs);
      for (let i = 0; i < p.gauges.length; i++) if (p.gaugeTransforms[i] === DOWN) w.addGauge(p.gauges[i]!, k, -1, -1);
    }
    table.remove(id);
    this.evicted++;
  }

  private info(w: ClusterWindow, asOf?: { lastSampleMs: number; finalBefore: number }): ClusterInfo {
    const defaults = this.options.defaults;
    const finalBefore = asOf?.finalBefore ?? w.finalBefore;
    const nodes = this.latest(w, SIGNALS.nodes, finalBefore) ?? defaults.nodes(w.name);
    const instances = this.latest(w, SIGNALS.apiInstances, finalBefore) ?? 1;
    const capacity =
      this.latest(w, SIGNALS.apiCapacitySeats, finalBefore) ?? defaults.capacitySeats(w.name) ?? defaults.seatsPerInstance * Math.max(1, instances);
    return {
      name: w.name,
      nodes,
      capacitySeats: capacity,
      lastSampleMs: asOf?.lastSampleMs ?? (w.watermarkMs > -Infinity ? w.watermarkMs : undefined),
      signals: this.signalNames,
      completeBeforeMs: finalBefore * this.stepMs,
    };
  }

  /** newest finished finite value of a signal before step finalBefore */
  private latest(w: ClusterWindow, signal: SignalName, finalBefore = w.finalBefore): number | undefined {
    const s = this.plan.signalIndex.get(signal);
    if (s === undefined) return undefined;
    for (let k = finalBefore - 1; k >= w.finalBefore - this.geometry.windowSteps && k >= 0; k--) {
      const v = w.value(s, k);
      if (v === v) return v;
    }
    return undefined;
  }
}

/** a ref's id for "feeds no signal", "has no cluster label": fixed by the labels and the plan */
const REF_IGNORED = -10;
const REF_MISSING_CLUSTER = -11;

function remember(ref: SeriesRef | undefined, owner: SignalStore, outcome: number): number {
  if (ref !== undefined) {
    ref.owner = owner;
    ref.id = outcome;
  }
  return -1;
}

function discard(result: AppendResult, reason: DiscardReason, samples: number): number {
  const discarded = (result.discarded ??= {});
  discarded[reason] = (discarded[reason] ?? 0) + samples;
  return DISCARDED;
}

function contribution(transform: number, v: number): number {
  return transform === ONE ? 1 : transform === DOWN ? 1 - v : v;
}
