import type { LabelMatcher } from './label-matcher.js';

// The internal form every signal is compiled from: the default catalog and the user's
// config definitions alike. A term selects raw series; an alternative is one way to
// compute the signal (current metric names first, older names after); per cluster and
// step the first alternative with data is used, so a fleet can mix versions without
// double counting an instance that exports both names.

/** How a gauge series contributes: its value, 1 while alive, or 1 − value (for `up`, stale counting as down). */
export type GaugeTransform = 'value' | 'one' | 'down';

export interface Term {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
  readonly transform?: GaugeTransform;
}

export interface Alternative {
  /** summed; for ratios the numerator */
  readonly terms: readonly Term[];
  /** counter_ratio only */
  readonly denominator?: readonly Term[];
  /** the alternative applies only when these have data (default: the denominator, else the terms) */
  readonly requires?: readonly Term[];
}

export type SignalKind = 'counter_rate' | 'counter_ratio' | 'gauge_sum' | 'gauge_max' | 'histogram_quantile';

export interface SignalSpec {
  readonly name: string;
  readonly kind: SignalKind;
  readonly alternatives: readonly Alternative[];
  /** histogram_quantile only, default 0.99 */
  readonly quantile?: number;
}
