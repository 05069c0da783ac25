// Several rollouts at once: each rollout's effects are measured on its own (controls exclude
// clusters other rollouts reached; a cluster another rollout reached just before is not used
// for its fit), and an overload on a cluster more than one of them reached before its onset
// goes to the one whose own dose-response (its size fit from its own clusters) explains it.
// What none explains stays unattributed rather than blamed on a bystander.
import type { AnalysisConfig } from './analysis-config.js';
import { capacityOf, nodesOf, type HarmState } from './control-plane-harm.js';
import { chooseFit } from './next-wave-prediction.js';
import { predictEffect } from './power-law-fit.js';
import type { RolloutScope } from './rollout-scope.js';
import type { SignalView } from './signal-view.js';
import { NO_OTHER_ROLLOUTS, waveEffects, type OtherRollouts, type WaveEffects } from './wave-effects.js';

/** a candidate explains an overload when its predicted effect covers this share of the way to harm */
const EXPLAINED_SHARE = 0.5;

function othersOf(view: SignalView, scopes: readonly RolloutScope[], self: number): OtherRollouts {
  const arrivals = new Map<string, number[]>();
  const reached = new Set<string>();
  scopes.forEach((scope, i) => {
    if (i === self || !scope.attributable) return;
    for (const w of scope.started) {
      for (const c of w.clusters) {
        reached.add(c);
        let list = arrivals.get(c);
        if (!list) arrivals.set(c, (list = []));
        list.push(view.alignedMs(w.startedAtMs));
      }
    }
  });
  if (reached.size === 0) return NO_OTHER_ROLLOUTS;
  return { arrivals: (c) => arrivals.get(c) ?? [], reached };
}

export interface ConcurrentEffects {
  /** per scope (same order): its wave effects with arbitrated attributions; undefined when not attributable */
  readonly effects: readonly (WaveEffects | undefined)[];
  /** every overloaded cluster some rollout reached before its onset: the rollout it is attributed to, or null */
  readonly overloads: ReadonlyMap<string, string | null>;
  /** per scope: clusters other attributable rollouts reached too */
  readonly shared: readonly ReadonlySet<string>[];
  /** per cluster: the attributable rollout that reached it first */
  readonly firstArrival: ReadonlyMap<string, string>;
}

export function concurrentEffects(
  view: SignalView,
  scopes: readonly RolloutScope[],
  harms: ReadonlyMap<string, HarmState>,
  config: AnalysisConfig,
): ConcurrentEffects {
  const others = scopes.map((_, i) => othersOf(view, scopes, i));
  const effects = scopes.map((scope, i) => (scope.attributable ? waveEffects(view, scope, harms, config, others[i]) : undefined));
  const candidates = new Map<string, number[]>();
  effects.forEach((e, i) => {
    for (const cluster of e?.attributed.keys() ?? []) {
      let list = candidates.get(cluster);
      if (!list) candidates.set(cluster, (list = []));
      list.push(i);
    }
  });
  const overloads = new Map<string, string | null>();
  for (const [cluster, list] of candidates) {
    if (list.length === 1) {
      overloads.set(cluster, scopes[list[0]!]!.rollout.rolloutId);
      continue;
    }
    const winner = explainingRollout(view, cluster, list, effects, config);
    for (const i of list) if (i !== winner) effects[i]!.attributed.delete(cluster);
    overloads.set(cluster, winner === undefined ? null : scopes[winner]!.rollout.rolloutId);
  }
  // overloads on reached clusters no candidate explains (e.g. onset before every arrival)
  scopes.forEach((scope) => {
    if (!scope.attributable) return;
    for (const c of scope.reached) if (harms.has(c) && !overloads.has(c)) overloads.set(c, null);
  });
  const firstArrival = new Map<string, { id: string; atMs: number }>();
  for (const scope of scopes) {
    if (!scope.attributable) continue;
    for (const w of scope.started) {
      for (const c of w.clusters) {
        const prev = firstArrival.get(c);
        if (!prev || w.startedAtMs < prev.atMs) firstArrival.set(c, { id: scope.rollout.rolloutId, atMs: w.startedAtMs });
      }
    }
  }
  return { effects, overloads, shared: others.map((o) => o.reached), firstArrival: new Map([...firstArrival].map(([c, a]) => [c, a.id])) };
}

/**
 * Dose-response: each candidate's own size fit predicts its effect on this cluster; the one
 * predicting the most wins if that covers EXPLAINED_SHARE of the way from the pre-rollout
 * baseline to the harm threshold.
 */
function explainingRollout(
  view: SignalView,
  cluster: string,
  list: readonly number[],
  effects: readonly (WaveEffects | undefined)[],
  config: AnalysisConfig,
): number | undefined {
  const nodes = nodesOf(view, cluster, config);
  if (nodes === null) return undefined;
  const baselines = list.map((i) => effects[i]!.attributed.get(cluster)!.busy?.baseline ?? Number.NaN).filter(Number.isFinite);
  const baseline = baselines.length > 0 ? Math.min(...baselines) : 0;
  const toHarm = config.overloadUtilization * capacityOf(view, cluster, config) - baseline;
  let best: { index: number; predicted: number } | undefined;
  for (const i of list) {
    const fit = chooseFit(effects[i]!, config).fit;
    const predicted = fit ? predictEffect(fit, nodes) : 0;
    if (!best || predicted > best.predicted) best = { index: i, predicted };
  }
  return best && best.predicted >= EXPLAINED_SHARE * toHarm ? best.index : undefined;
}
