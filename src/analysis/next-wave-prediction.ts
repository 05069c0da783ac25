// Predict each cluster of the next planned wave from the effect seen so far, fitted against
// node count, and hold when predicted utilisation exceeds the headroom.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import type { NextWavePrediction, PowerLawFit } from './analysis.types.js';
import { capacityOf, nodesOf } from './control-plane-harm.js';
import { assumedPowerLaw, boundedPowerLaw, fitPowerLaw, predictEffect } from './power-law-fit.js';
import { reason, type RatedReason } from './rated-reason.js';
import type { RolloutScope } from './rollout-scope.js';
import type { SignalView } from './signal-view.js';
import type { WaveEffects } from './wave-effects.js';

export interface NextWaveOutcome {
  readonly wave: string;
  readonly predictions: readonly NextWavePrediction[];
  readonly fit: PowerLawFit | null;
  readonly reasons: readonly RatedReason[];
  readonly risky: readonly NextWavePrediction[];
}

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

export function chooseFit(effects: WaveEffects, config: AnalysisConfig): { fit: PowerLawFit | undefined; note: string | undefined } {
  const sized = effects.sized;
  if (sized.length === 0 && effects.apiChanged) {
    // the change reaches the API server but its seat cost is below detection: bound it
    const fit = boundedPowerLaw(effects.bounds, config.assumedExponent);
    if (fit) {
      const largest = Math.max(...effects.bounds.map((b) => b.nodes));
      return {
        fit,
        note: `the rollout changes API traffic but its busy-seat effect is below detection on clusters up to ${largest} nodes; bounded by the detection limit scaled as nodes^${config.assumedExponent}`,
      };
    }
  }
  const nodes = sized.map((s) => s.nodes);
  const spread = nodes.length > 0 ? Math.max(...nodes) / Math.min(...nodes) : 0;
  if (sized.length >= 2 && spread >= config.minNodeSpreadRatio) return { fit: fitPowerLaw(sized), note: undefined };
  const fit = assumedPowerLaw(sized, config.assumedExponent);
  if (!fit) return { fit: undefined, note: undefined };
  return {
    fit,
    note: `too little evidence to fit the size exponent (${sized.length} cluster(s) with a measurable effect, node spread ${round(spread, 2)}×); assumed effect ∝ nodes^${config.assumedExponent}`,
  };
}

export function predictNextWave(
  view: SignalView,
  scope: RolloutScope,
  effects: WaveEffects,
  config: AnalysisConfig,
): NextWaveOutcome | undefined {
  const next = scope.nextWave;
  if (!next) return undefined;
  const targets = [...new Set(next.clusters)].filter((c) => !scope.reached.has(c)).sort();
  const reasons: RatedReason[] = [];
  for (const w of effects.settling) {
    reasons.push(
      reason('hold', {
        code: 'no_data',
        severity: 'warning',
        wave: w.wave,
        message: `${w.wave} started ${round((view.nowMs - w.startedAtMs) / 1000, 0)} s ago; its effect is measurable after ${config.minWaveAgeSeconds} s`,
      }),
    );
  }
  const { fit, note } = chooseFit(effects, config);
  if (note) reasons.push(reason('proceed', { code: 'no_data', severity: 'warning', wave: next.wave, signal: SIGNALS.apiBusySeats, message: note }));
  const predictions: NextWavePrediction[] = [];
  const currentOf = new Map<string, number>();
  for (const cluster of targets) {
    const nodes = nodesOf(view, cluster, config);
    const capacity = capacityOf(view, cluster, config);
    const current = view.level(cluster, SIGNALS.apiBusySeats, config.levelPoints);
    if (!Number.isFinite(current)) {
      reasons.push(reason('proceed', { code: 'no_data', severity: 'warning', wave: next.wave, cluster, signal: SIGNALS.apiBusySeats, message: `no busy-seat data for ${cluster}; no prediction` }));
      continue;
    }
    if (fit && nodes === null) {
      reasons.push(reason('proceed', { code: 'no_data', severity: 'warning', wave: next.wave, cluster, message: `node count of ${cluster} unknown; no size-based prediction` }));
    }
    currentOf.set(cluster, current);
    const predicted = current + (fit && nodes !== null ? predictEffect(fit, nodes) : 0);
    predictions.push({ cluster, signal: SIGNALS.apiBusySeats, predicted, capacity, predictedUtilization: predicted / capacity, nodes });
  }
  if (!fit && scope.started.length > 0 && effects.settling.length === 0) {
    const observed = scope.started.flatMap((w) => w.clusters).map((c) => nodesOf(view, c, config) ?? 0);
    const largestNext = Math.max(0, ...predictions.map((p) => p.nodes ?? 0));
    const largestSeen = Math.max(0, ...observed);
    reasons.push(
      reason('proceed', {
        code: 'no_data',
        severity: 'warning',
        wave: next.wave,
        signal: SIGNALS.apiBusySeats,
        observed: largestNext,
        baseline: largestSeen,
        message: `no measurable busy-seat effect in ${observed.length} reached cluster(s); next wave has clusters up to ${largestNext} nodes against ${largestSeen} seen, so its load is not extrapolated`,
      }),
    );
  }
  const risky = predictions.filter((p) => p.predictedUtilization > config.headroom);
  for (const p of risky) {
    // say whether the rollout's own effect is the risk or the cluster is loaded already
    const current = currentOf.get(p.cluster) ?? 0;
    const why =
      current / p.capacity > config.headroom
        ? `harm already present: ${p.cluster} is at ${round((100 * current) / p.capacity, 1)} % before ${scope.rollout.rolloutId} reaches it`
        : `own predicted harm: ${scope.rollout.rolloutId} adds ${round(p.predicted - current, 1)} seats to ${round(current, 1)}`;
    reasons.push(
      reason('hold', {
        code: 'next_wave_capacity',
        severity: p.predictedUtilization >= 1 ? 'critical' : 'warning',
        wave: next.wave,
        cluster: p.cluster,
        signal: p.signal,
        observed: round(p.predicted, 2),
        baseline: p.capacity,
        message: `${p.cluster} (${p.nodes ?? '?'} nodes) predicted at ${round(p.predicted, 1)} of ${p.capacity} seats (${round(100 * p.predictedUtilization, 1)} %) > headroom ${round(100 * config.headroom, 1)} %; ${why}`,
      }),
    );
  }
  return { wave: next.wave, predictions, fit: fit ?? null, reasons, risky };
}
