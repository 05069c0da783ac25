import { histogramQuantile } from './histogram-quantile.js';
import type { CompiledAlternative, SignalPlan } from './signal-plan.js';
import { SIGNALS } from './signal.types.js';

/** Values that do not come from metrics: config overrides and defaults per cluster. */
export interface ClusterDefaults {
  nodes(cluster: string): number | undefined;
  /** configured seats of the cluster, undefined when not configured */
  capacitySeats(cluster: string): number | undefined;
  /** seats one apiserver instance offers when nothing else is known (max-inflight) */
  readonly seatsPerInstance: number;
}

// Turns one step's component values into signal values. `values`/`aux` hold, per
// component: counters → increase in the step / covered fraction; gauges → sum / live
// series count; max gauges → max / 1 when present. Scratch arrays are reused.
export class StepEvaluator {
  private bounds = new Float64Array(64);
  private counts = new Float64Array(64);
  private readonly nodesAt: number;
  private readonly capacityAt: number;
  private readonly instancesAt: number;

  constructor(
    private readonly plan: SignalPlan,
    private readonly stepSeconds: number,
    private readonly defaults: ClusterDefaults,
  ) {
    this.nodesAt = plan.signalIndex.get(SIGNALS.nodes) ?? -1;
    this.capacityAt = plan.signalIndex.get(SIGNALS.apiCapacitySeats) ?? -1;
    this.instancesAt = plan.signalIndex.get(SIGNALS.apiInstances) ?? -1;
  }

  evaluate(values: Float64Array, aux: Float64Array, out: Float64Array, cluster: string): void {
    const signals = this.plan.signals;
    for (let s = 0; s < signals.length; s++) {
      const signal = signals[s]!;
      const alt = this.pick(signal.alternatives, aux);
      if (!alt) {
        out[s] = Number.NaN;
        continue;
      }
      switch (signal.kind) {
        case 'counter_rate':
          out[s] = sum(values, alt.terms) / this.stepSeconds;
          break;
        case 'counter_ratio': {
          const den = sum(values, alt.denominator);
          out[s] = den > 0 ? sum(values, alt.terms) / den : Number.NaN;
          break;
        }
        case 'gauge_sum':
          out[s] = sumPresent(values, aux, alt.terms);
          break;
        case 'gauge_max':
          out[s] = maxPresent(values, aux, alt.terms);
          break;
        case 'histogram_quantile':
          out[s] = this.quantile(signal.quantile, alt, values);
          break;
      }
    }
    this.applyDefaults(out, cluster);
  }

  private pick(alternatives: readonly CompiledAlternative[], aux: Float64Array): CompiledAlternative | undefined {
    for (const alt of alternatives) {
      if (alt.histograms.length > 0 && alt.requires.length === 0) {
        for (const h of alt.histograms) for (const c of this.plan.histograms[h]!.components) if (aux[c]! > 0) return alt;
      } else if (sum(aux, alt.requires) > 0) return alt;
    }
    return undefined;
  }

  private quantile(q: number, alt: CompiledAlternative, values: Float64Array): number {
    let n = 0;
    for (const h of alt.histograms) {
      const { bounds, components } = this.plan.histograms[h]!;
      for (let i = 0; i < bounds.length; i++) n = this.insert(n, bounds[i]!, values[components[i]!]!);
    }
    return histogramQuantile(q, this.bounds, this.counts, n);
  }

  /** adds a bucket count at its bound, keeping the scratch sorted by bound */
  private insert(n: number, bound: number, count: number): number {
    let i = 0;
    while (i < n && this.bounds[i]! < bound) i++;
    if (i < n && this.bounds[i] === bound) {
      this.counts[i]! += count;
      return n;
    }
    if (n === this.bounds.length) {
      const b = new Float64Array(n * 2);
      b.set(this.bounds);
      this.bounds = b;
      const c = new Float64Array(n * 2);
      c.set(this.counts);
      this.counts = c;
    }
    this.bounds.copyWithin(i + 1, i, n);
    this.counts.copyWithin(i + 1, i, n);
    this.bounds[i] = bound;
    this.counts[i] = count;
    return n + 1;
  }

  private applyDefaults(out: Float64Array, cluster: string): void {
    if (this.nodesAt >= 0 && Number.isNaN(out[this.nodesAt])) out[this.nodesAt] = this.defaults.nodes(cluster) ?? Number.NaN;
    if (this.capacityAt >= 0 && Number.isNaN(out[this.capacityAt])) {
      const instances = this.instancesAt >= 0 ? out[this.instancesAt]! : Number.NaN;
      out[this.capacityAt] =
        this.defaults.capacitySeats(cluster) ?? (instances > 0 ? instances * this.defaults.seatsPerInstance : Number.NaN);
    }
  }
}

function sum(values: Float64Array, ids: readonly number[]): number {
  let total = 0;
  for (const id of ids) total += values[id]!;
  return total;
}

function sumPresent(values: Float64Array, aux: Float64Array, ids: readonly number[]): number {
  let total = 0;
  let any = false;
  for (const id of ids) {
    if (aux[id]! > 0) {
      total += values[id]!;
      any = true;
    }
  }
  return any ? total : Number.NaN;
}

function maxPresent(values: Float64Array, aux: Float64Array, ids: readonly number[]): number {
  let max = Number.NaN;
  for (const id of ids) if (aux[id]! > 0 && !(values[id]! <= max)) max = values[id]!;
  return max;
}
