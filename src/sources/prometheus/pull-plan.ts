import { createHash } from 'node:crypto';
import { SignalPlan } from '../../signals/signal-plan.js';
import type { SignalSpec, Term } from '../../signals/signal-spec.js';
import { labelName, quote, selector } from './promql.js';

// The fleet-wide queries of pull mode: one per distinct term of the signal catalog (a
// metric with its matchers and reduction), each aggregated `by (cluster)` so its cost does
// not depend on the number of clusters' series. Signals are then computed per cluster and
// step from these aggregates by the same StepEvaluator push mode uses, so alternatives,
// ratios, quantiles and defaults mean the same in both modes.

export type TermReduction = 'rate' | 'sum' | 'count' | 'one_minus' | 'max' | 'rate_le';

export interface TermQuery {
  /** component id in the plan, or histogram id for `rate_le` */
  readonly target: number;
  readonly reduction: TermReduction;
  /** the aggregate over raw series */
  readonly raw: string;
  /** stable id of this aggregate, also the `wavewatch_term` label of its recording rule */
  readonly id: string;
  /** the recorded series of `npm run rules`, aggregated the same way */
  readonly recorded: string;
  /** evaluation time minus the end of the step a point belongs to */
  readonly shiftMs: number;
}

export interface PullPlanOptions {
  readonly clusterLabel: string;
  readonly stepMs: number;
  readonly rateWindowMs: number;
}

export const RECORD_PREFIX = 'wavewatch:term_';

export class PullPlan {
  readonly plan: SignalPlan;
  readonly queries: TermQuery[] = [];

  constructor(
    specs: readonly SignalSpec[],
    readonly options: PullPlanOptions,
  ) {
    this.plan = new SignalPlan(specs);
    const { componentTerms, components, histogramTerms } = this.plan;
    componentTerms.forEach((term, c) => {
      if (!term) return;
      const def = components[c]!;
      const reduction: TermReduction =
        def.kind === 'counter' ? 'rate' : def.kind === 'gauge_max' ? 'max' : def.transform === 1 ? 'count' : def.transform === 2 ? 'one_minus' : 'sum';
      this.queries.push(this.query(c, reduction, term));
    });
    histogramTerms.forEach((term, h) => this.queries.push(this.query(h, 'rate_le', term)));
  }

  private query(target: number, reduction: TermReduction, term: Term): TermQuery {
    const { clusterLabel, rateWindowMs, stepMs } = this.options;
    const by = reduction === 'rate_le' ? `${labelName(clusterLabel)}, le` : labelName(clusterLabel);
    const sel = selector(term.metric, term.matchers);
    const window = `${Math.round(rateWindowMs / 1000)}s`;
    const inner =
      reduction === 'rate' || reduction === 'rate_le' ? `rate(${sel}[${window}])` : reduction === 'one_minus' ? `(1 - ${sel})` : sel;
    const aggregation = reduction === 'max' ? 'max' : reduction === 'count' ? 'count' : 'sum';
    const raw = `${aggregation} by (${by}) (${inner})`;
    const id = createHash('sha256').update(raw).digest('hex').slice(0, 12);
    // a recorded aggregate is summed again (max for max) to drop the rule's own labels
    const outer = reduction === 'max' ? 'max' : 'sum';
    const recorded = `${outer} by (${by}) (${RECORD_PREFIX}${reduction}{wavewatch_term=${quote(id)}})`;
    // A rate over [t − w, t] evaluated at the step's end + (w − step)/2 is centred on the
    // step, as push mode spreads an increase over the step it happened in; a gauge is its
    // last value before the step ends.
    const rated = reduction === 'rate' || reduction === 'rate_le';
    const shiftMs = rated ? Math.max(0, Math.round((rateWindowMs - stepMs) / 2)) : -1;
    return { target, reduction, raw, id, recorded, shiftMs };
  }
}
