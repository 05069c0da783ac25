import { StepEvaluator, type ClusterDefaults } from '../../signals/step-evaluator.js';
import type { PrometheusClient, PromSeries } from './prometheus-client.js';
import { RECORD_PREFIX, type PullPlan, type TermQuery } from './pull-plan.js';

/** Signal points of steps firstK … firstK+steps−1: per cluster steps × signals values, NaN = no point. */
export interface PulledBatch {
  readonly firstK: number;
  readonly steps: number;
  readonly signals: readonly string[];
  readonly clusters: ReadonlyMap<string, Float64Array>;
}

/** where pulled points go: the signal store's restore API */
export interface FinalPointSink {
  restoreFinalPoints(cluster: string, points: readonly { signal: string; tMs: number; value: number }[]): void;
}

// Runs the plan's fleet-wide range queries for a batch of steps and turns the per-cluster
// aggregates into signal points with push mode's StepEvaluator. A step of a cluster counts
// only when one of its counters has data in it: gauges are carried for the store's
// lookback after a cluster went dark, and must not make it look alive.
export class PullFetcher {
  private readonly evaluator: StepEvaluator;
  private recorded: ReadonlySet<string> = new Set();
  /** wall time of the last fetch: waiting for the store, then reducing its answers (bench figures) */
  readonly lastTimings = { queryMs: 0, reduceMs: 0 };

  constructor(
    private readonly pull: PullPlan,
    private readonly client: PrometheusClient,
    defaults: ClusterDefaults,
  ) {
    this.evaluator = new StepEvaluator(pull.plan, pull.options.stepMs / 1000, defaults);
  }

  get queryCount(): number {
    return this.pull.queries.length;
  }

  queryIds(): string[] {
    return this.pull.queries.map((q) => q.id);
  }

  shifts(): number[] {
    return this.pull.queries.map((q) => q.shiftMs);
  }

  /** term ids whose recording rule output the store holds: read those instead of raw series */
  useRecorded(ids: ReadonlySet<string>): void {
    this.recorded = ids;
  }

  /** asks the store which recorded aggregates of `npm run rules` it has */
  async discoverRecorded(atMs: number): Promise<Set<string>> {
    const found = await this.client.query(`count by (wavewatch_term) ({__name__=~"${RECORD_PREFIX}.+"})`, atMs);
    const known = new Set(this.pull.queries.map((q) => q.id));
    return new Set(found.map((s) => s.metric.wavewatch_term ?? '').filter((id) => known.has(id)));
  }

  async fetch(firstK: number, steps: number): Promise<PulledBatch> {
    const { stepMs } = this.pull.options;
    const started = performance.now();
    let answeredMs = 0;
    let collectMs = 0;
    const byCluster = new Map<string, Map<number, Float64Array>>();
    // each answer is folded in as it arrives, so at most maxParallelQueries parsed answers are held
    await Promise.all(
      this.pull.queries.map(async (q) => {
        const expr = this.recorded.has(q.id) ? q.recorded : q.raw;
        const series = await this.client.queryRange(expr, (firstK + 1) * stepMs + q.shiftMs, (firstK + steps) * stepMs + q.shiftMs, stepMs);
        const t = performance.now();
        this.collect(q, series, firstK, steps, byCluster);
        answeredMs = t;
        collectMs += performance.now() - t;
      }),
    );
    const answered = performance.now();
    const batch = this.evaluate(firstK, steps, byCluster);
    this.lastTimings.queryMs = answeredMs - started;
    this.lastTimings.reduceMs = collectMs + performance.now() - answered;
    return batch;
  }

  private collect(q: TermQuery, series: readonly PromSeries[], firstK: number, steps: number, out: Map<string, Map<number, Float64Array>>): void {
    const { clusterLabel, stepMs } = this.pull.options;
    const plan = this.pull.plan;
    // counters become the increase in the step, as the push store accumulates them
    const scale = q.reduction === 'rate' || q.reduction === 'rate_le' ? stepMs / 1000 : 1;
    for (const s of series) {
      const cluster = s.metric[clusterLabel];
      if (!cluster) continue;
      const component = q.reduction === 'rate_le' ? plan.bucketComponent(q.target, s.metric.le ?? '') : q.target;
      if (component < 0) continue;
      let components = out.get(cluster);
      if (!components) out.set(cluster, (components = new Map<number, Float64Array>()));
      let values = components.get(component);
      if (!values) components.set(component, (values = new Float64Array(steps).fill(Number.NaN)));
      for (const [ts, text] of s.values) {
        const i = Math.round((ts * 1000 - q.shiftMs) / stepMs) - 1 - firstK;
        const v = Number(text) * scale;
        if (i < 0 || i >= steps || !Number.isFinite(v)) continue;
        // `le="1"` and `le="1.0"` are one bucket
        values[i] = Number.isNaN(values[i]!) ? v : values[i]! + v;
      }
    }
  }

  private evaluate(firstK: number, steps: number, byCluster: Map<string, Map<number, Float64Array>>): PulledBatch {
    const plan = this.pull.plan;
    const n = plan.components.length;
    const signals = plan.signals.map((s) => s.name);
    const values = new Float64Array(n);
    const aux = new Float64Array(n);
    const out = new Float64Array(signals.length);
    const clusters = new Map<string, Float64Array>();
    for (const [cluster, components] of byCluster) {
      const points = new Float64Array(steps * signals.length).fill(Number.NaN);
      let any = false;
      for (let i = 0; i < steps; i++) {
        values.fill(0);
        aux.fill(0);
        let live = false;
        for (const [c, series] of components) {
          const v = series[i]!;
          if (Number.isNaN(v)) continue;
          values[c] = v;
          aux[c] = 1;
          if (plan.components[c]!.kind === 'counter') live = true;
        }
        if (!live) continue;
        this.evaluator.evaluate(values, aux, out, cluster);
        points.set(out, i * signals.length);
        any = true;
      }
      if (any) clusters.set(cluster, points);
    }
    return { firstK, steps, signals, clusters };
  }
}

/** puts steps [from, to) of a batch (indices into it) into the store */
export function applyBatch(sink: FinalPointSink, batch: PulledBatch, stepMs: number, from = 0, to = batch.steps): void {
  const S = batch.signals.length;
  for (const [cluster, values] of batch.clusters) {
    const points: { signal: string; tMs: number; value: number }[] = [];
    for (let i = from; i < to; i++) {
      for (let s = 0; s < S; s++) {
        const v = values[i * S + s]!;
        if (Number.isFinite(v)) points.push({ signal: batch.signals[s]!, tMs: (batch.firstK + i) * stepMs, value: v });
      }
    }
    if (points.length > 0) sink.restoreFinalPoints(cluster, points);
  }
}
