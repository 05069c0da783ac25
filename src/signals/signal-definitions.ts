import type { SignalDefinitionConfig } from '../config/config.schema.js';
import { parseMatchers } from './label-matcher.js';
import type { Alternative, GaugeTransform, SignalKind, SignalSpec, Term } from './signal-spec.js';

export function term(metric: string, matchers?: Readonly<Record<string, string>>, transform?: GaugeTransform): Term {
  return transform ? { metric, matchers: parseMatchers(matchers), transform } : { metric, matchers: parseMatchers(matchers) };
}

const kindOf: Record<SignalDefinitionConfig['kind'], SignalKind> = {
  counter_rate: 'counter_rate',
  counter_ratio: 'counter_ratio',
  gauge_sum: 'gauge_sum',
  gauge_max: 'gauge_max',
  histogram_p99: 'histogram_quantile',
};

const bucketName = (metric: string): string => (metric.endsWith('_bucket') ? metric : `${metric}_bucket`);

/**
 * A config definition as a spec: `metrics` are alternatives in order of preference;
 * a ratio's denominator is `denominatorMetrics[i]` (the last one repeats), or the same
 * metric with `denominatorMatchers` (default: none, i.e. all of it).
 */
export function specFromDefinition(def: SignalDefinitionConfig): SignalSpec {
  const kind = kindOf[def.kind];
  try {
    const alternatives: Alternative[] = def.metrics.map((metric, i) => {
      const numerator = term(kind === 'histogram_quantile' ? bucketName(metric) : metric, def.matchers);
      if (kind !== 'counter_ratio') return { terms: [numerator] };
      const denominators = def.denominatorMetrics ?? [];
      const denominatorMetric = denominators[Math.min(i, denominators.length - 1)] ?? metric;
      return { terms: [numerator], denominator: [term(denominatorMetric, def.denominatorMatchers)] };
    });
    return kind === 'histogram_quantile'
      ? { name: def.name, kind, alternatives, quantile: def.quantile ?? 0.99 }
      : { name: def.name, kind, alternatives };
  } catch (error) {
    throw new Error(`signals.definitions ${def.name}: ${(error as Error).message}`, { cause: error });
  }
}

/** The catalog with the user's definitions: same name replaces, new names are appended. */
export function mergeSpecs(catalog: readonly SignalSpec[], definitions: readonly SignalDefinitionConfig[]): SignalSpec[] {
  const byName = new Map<string, SignalSpec>(catalog.map((s) => [s.name, s]));
  for (const def of definitions) byName.set(def.name, specFromDefinition(def));
  return [...byName.values()];
}
