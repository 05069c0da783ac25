import { matchersKey, matchesAll, labelValue, type LabelMatcher } from './label-matcher.js';
import type { SignalKind, SignalSpec, Term, GaugeTransform } from './signal-spec.js';
import type { LabelPair } from './signal.types.js';

// Specs compiled once into shared components (one accumulator per distinct metric +
// matchers + kind, whatever number of signals read it) and a metric-name index. A new raw
// series is matched here once; its samples then go straight to the components it feeds.

export type ComponentKind = 'counter' | 'gauge_sum' | 'gauge_max';

export const TRANSFORM_CODE: Record<GaugeTransform, number> = { value: 0, one: 1, down: 2 };

export interface ComponentDef {
  readonly kind: ComponentKind;
  readonly transform: number;
}

interface MetricTerm {
  readonly matchers: readonly LabelMatcher[];
  /** component id, or -1 for a histogram term */
  readonly component: number;
  readonly histogram: number;
}

export interface CompiledAlternative {
  readonly terms: readonly number[];
  readonly denominator: readonly number[];
  /** components whose data decides whether this alternative applies */
  readonly requires: readonly number[];
  readonly histograms: readonly number[];
}

export interface CompiledSignal {
  readonly name: string;
  readonly kind: SignalKind;
  readonly quantile: number;
  readonly alternatives: readonly CompiledAlternative[];
}

/** one histogram term: a counter component per `le`, kept sorted by bound */
export interface HistogramBuckets {
  readonly bounds: number[];
  readonly components: number[];
  readonly byLe: Map<string, number>;
}

/** what one raw series feeds; shared by all series that match the same terms */
export interface SeriesProfile {
  readonly counters: Int32Array;
  readonly gauges: Int32Array;
  readonly gaugeTransforms: Uint8Array;
  readonly maxes: Int32Array;
}

const EMPTY = new Int32Array(0);
/** profileOf: the series is a bucket beyond its histogram's bucket limit */
export const TOO_MANY_BUCKETS = -2;
/** `le` spellings remembered per bound ("1", "1.0", "1e0"); beyond, they are parsed each time */
const SPELLINGS_PER_BUCKET = 4;

function parseLe(le: string): number {
  if (le === '+Inf' || le === 'Inf' || le === '+inf') return Infinity;
  return le === '' ? Number.NaN : Number(le);
}

export class SignalPlan {
  readonly components: ComponentDef[] = [];
  readonly histograms: HistogramBuckets[] = [];
  readonly signals: CompiledSignal[];
  readonly signalIndex = new Map<string, number>();
  readonly profiles: SeriesProfile[] = [];
  /** the term each component sums (undefined for histogram buckets): what a pull source queries */
  readonly componentTerms: (Term | undefined)[] = [];
  readonly histogramTerms: Term[] = [];
  private readonly componentIds = new Map<string, number>();
  private readonly histogramIds = new Map<string, number>();
  private readonly byMetric = new Map<string, MetricTerm[]>();
  private readonly profileIds = new Map<string, number>();

  /** maxBuckets: distinct `le` bounds per histogram; each costs a component every cluster may hold */
  constructor(
    specs: readonly SignalSpec[],
    private readonly maxBuckets = 128,
  ) {
    this.signals = specs.map((spec) => this.compile(spec));
    this.signals.forEach((s, i) => this.signalIndex.set(s.name, i));
  }

  wants(metric: string): boolean {
    return this.byMetric.has(metric);
  }

  /** every metric name some signal uses */
  metrics(): string[] {
    return [...this.byMetric.keys()];
  }

  /** the profile id of a new series, -1 when it feeds nothing, TOO_MANY_BUCKETS past the bucket limit */
  profileOf(metric: string, labels: readonly LabelPair[]): number {
    const candidates = this.byMetric.get(metric);
    if (!candidates) return -1;
    const counters: number[] = [];
    const gauges: number[] = [];
    const maxes: number[] = [];
    for (const t of candidates) {
      if (!matchesAll(t.matchers, labels)) continue;
      const id = t.histogram >= 0 ? this.bucketComponent(t.histogram, labelValue(labels, 'le')) : t.component;
      if (id === TOO_MANY_BUCKETS) return TOO_MANY_BUCKETS;
      if (id < 0) continue;
      const kind = this.components[id]!.kind;
      const list = kind === 'counter' ? counters : kind === 'gauge_sum' ? gauges : maxes;
      if (!list.includes(id)) list.push(id);
    }
    if (counters.length + gauges.length + maxes.length === 0) return -1;
    const key = `${counters.join(',')}|${gauges.join(',')}|${maxes.join(',')}`;
    let profile = this.profileIds.get(key);
    if (profile === undefined) {
      profile = this.profiles.length;
      this.profiles.push({
        counters: counters.length ? Int32Array.from(counters) : EMPTY,
        gauges: gauges.length ? Int32Array.from(gauges) : EMPTY,
        gaugeTransforms: Uint8Array.from(gauges.map((g) => this.components[g]!.transform)),
        maxes: maxes.length ? Int32Array.from(maxes) : EMPTY,
      });
      this.profileIds.set(key, profile);
    }
    return profile;
  }

  private compile(spec: SignalSpec): CompiledSignal {
    const isHistogram = spec.kind === 'histogram_quantile';
    const kind: ComponentKind = spec.kind === 'gauge_sum' ? 'gauge_sum' : spec.kind === 'gauge_max' ? 'gauge_max' : 'counter';
    const ids = (terms: readonly Term[] | undefined): number[] => (terms ?? []).map((t) => this.component(t, kind));
    const alternatives = spec.alternatives.map((alt): CompiledAlternative => {
      if (isHistogram) return { terms: [], denominator: [], requires: ids(alt.requires), histograms: alt.terms.map((t) => this.histogram(t)) };
      const terms = ids(alt.terms);
      const denominator = spec.kind === 'counter_ratio' ? ids(alt.denominator ?? alt.terms.map((t) => ({ ...t, matchers: [] }))) : [];
      const requires = alt.requires ? ids(alt.requires) : denominator.length ? denominator : terms;
      return { terms, denominator, requires, histograms: [] };
    });
    return { name: spec.name, kind: spec.kind, quantile: spec.quantile ?? 0.99, alternatives };
  }

  private component(term: Term, kind: ComponentKind): number {
    const transform = kind === 'gauge_sum' ? TRANSFORM_CODE[term.transform ?? 'value'] : 0;
    const key = `${kind}|${transform}|${term.metric}|${matchersKey(term.matchers)}`;
    let id = this.componentIds.get(key);
    if (id === undefined) {
      id = this.components.length;
      this.components.push({ kind, transform });
      this.componentTerms[id] = term;
      this.componentIds.set(key, id);
      this.index(term, { matchers: term.matchers, component: id, histogram: -1 });
    }
    return id;
  }

  private histogram(term: Term): number {
    const key = `${term.metric}|${matchersKey(term.matchers)}`;
    let id = this.histogramIds.get(key);
    if (id === undefined) {
      id = this.histograms.length;
      this.histograms.push({ bounds: [], components: [], byLe: new Map() });
      this.histogramTerms[id] = term;
      this.histogramIds.set(key, id);
      this.index(term, { matchers: term.matchers, component: -1, histogram: id });
    }
    return id;
  }

  private index(term: Term, entry: MetricTerm): void {
    const list = this.byMetric.get(term.metric);
    if (list) list.push(entry);
    else this.byMetric.set(term.metric, [entry]);
  }

  /** a counter component per distinct `le` of one histogram, created when first seen */
  bucketComponent(histogram: number, le: string): number {
    const h = this.histograms[histogram]!;
    const known = h.byLe.get(le);
    if (known !== undefined) return known;
    const bound = parseLe(le);
    if (Number.isNaN(bound)) return -1;
    let at = h.bounds.findIndex((b) => b === bound);
    if (at < 0 && h.bounds.length >= this.maxBuckets) return TOO_MANY_BUCKETS;
    if (at >= 0 && h.byLe.size >= SPELLINGS_PER_BUCKET * this.maxBuckets) return h.components[at]!;
    if (at < 0) {
      const id = this.components.length;
      this.components.push({ kind: 'counter', transform: 0 });
      at = h.bounds.findIndex((b) => b > bound);
      if (at < 0) at = h.bounds.length;
      h.bounds.splice(at, 0, bound);
      h.components.splice(at, 0, id);
    }
    const id = h.components[at]!;
    h.byLe.set(le, id);
    return id;
  }
}
