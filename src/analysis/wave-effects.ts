// Per started wave of one rollout: the load effects of its clusters against baseline and
// controls, which overloads it caused, and the busy-seat effects that feed the size fit.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import type { HarmState } from './control-plane-harm.js';
import { nodesOf } from './control-plane-harm.js';
import type { SizedEffect } from './power-law-fit.js';
import type { RolloutScope, StartedWave } from './rollout-scope.js';
import type { SignalView } from './signal-view.js';
import {
  controlShift,
  LOAD_SIGNALS,
  loadEffect,
  sampleControls,
  waveWindow,
  type ControlShift,
  type LoadEffect,
  type WaveWindow,
} from './wave-attribution.js';

export interface AttributedOverload {
  readonly wave: string;
  readonly harm: HarmState;
  /** the strongest significant load effect, relative to its threshold */
  readonly evidence: LoadEffect;
  readonly busy: LoadEffect | undefined;
  readonly controlRatio: number;
}

/** when other attributable rollouts reached each cluster (aligned ms), for concurrent rollouts */
export interface OtherRollouts {
  arrivals(cluster: string): readonly number[];
  /** clusters any other attributable rollout reached: never controls */
  readonly reached: ReadonlySet<string>;
}

export const NO_OTHER_ROLLOUTS: OtherRollouts = { arrivals: () => [], reached: new Set<string>() };

export interface WaveEffects {
  /** overloads this rollout may have caused (the analyzer arbitrates clusters several rollouts reached) */
  readonly attributed: Map<string, AttributedOverload>;
  /** significant but harmless effects, the strongest per wave and signal */
  readonly harmless: readonly (LoadEffect & { wave: string; clusters: number })[];
  readonly sized: readonly SizedEffect[];
  /** detection limits of busy-seat effects too small to measure (upper bounds) */
  readonly bounds: readonly SizedEffect[];
  /** the rollout measurably changed some API signal of a reached cluster */
  readonly apiChanged: boolean;
  /** started waves too young to measure */
  readonly settling: readonly StartedWave[];
  readonly controls: number;
}

const FIT_LEVEL_POINTS = 4;

export function waveEffects(
  view: SignalView,
  scope: RolloutScope,
  harms: ReadonlyMap<string, HarmState>,
  config: AnalysisConfig,
  others: OtherRollouts = NO_OTHER_ROLLOUTS,
): WaveEffects {
  const excluded = others.reached.size === 0 ? scope.reached : new Set([...scope.reached, ...others.reached]);
  const controls = sampleControls(view.clusterNames(), excluded, config.maxControls);
  const harmfulControls = controls.filter((c) => harms.has(c)).length;
  const fleetWideHarm = controls.length > 0 && harmfulControls / controls.length >= config.controlHarmShare;
  const attributed = new Map<string, AttributedOverload>();
  const harmless = new Map<string, LoadEffect & { wave: string; clusters: number }>();
  const sized: SizedEffect[] = [];
  const bounds: SizedEffect[] = [];
  let apiChanged = false;
  const settling: StartedWave[] = [];

  // ramping waves give lower bounds only: once a wave has completed, fit on completed waves
  const anyCompleted = scope.started.some((w) => w.completedAtMs !== null);
  for (const wave of scope.started) {
    const window = waveWindow(view, wave.startedAtMs, config);
    const young = view.nowMs - wave.startedAtMs < config.minWaveAgeSeconds * 1000;
    if (young) settling.push(wave);
    const fits = !young && (!anyCompleted || wave.completedAtMs !== null);
    const shifts = new Map<string, ControlShift>();
    const shiftOf = (signal: string): ControlShift => {
      let s = shifts.get(signal);
      if (!s) shifts.set(signal, (s = controlShift(view, controls, signal, window, config)));
      return s;
    };
    for (const cluster of wave.clusters) {
      // another rollout reaching the cluster inside this wave's baseline window mixes its
      // effect into ours; one arriving later is cut off by measuring just before it came
      const otherTimes = others.arrivals(cluster);
      const confounded = otherTimes.some((t) => t > window.baselineFromMs && t <= window.startMs);
      const later = otherTimes.filter((t) => t > window.startMs);
      const nextOtherMs = later.length > 0 ? Math.min(...later) : undefined;
      const mixedNow = confounded || (nextOtherMs !== undefined && view.nowPointMs >= nextOtherMs);
      const effects = LOAD_SIGNALS.map((l) => loadEffect(view, cluster, l, window, shiftOf(l.signal), config)).filter(
        (e): e is LoadEffect => e !== undefined,
      );
      const significant = effects.filter((e) => e.significant);
      const busy = effects.find((e) => e.signal === SIGNALS.apiBusySeats);
      const harm = harms.get(cluster);
      const evidence = harm ? overloadEvidence(view, cluster, window, shiftOf, config, significant, harm.onsetMs) : undefined;
      if (harm && evidence && !fleetWideHarm && harm.onsetMs >= window.startMs) {
        attributed.set(cluster, { wave: wave.wave, harm, evidence, busy, controlRatio: shiftOf(SIGNALS.apiBusySeats).ratio });
      } else if (!harm && !mixedNow) {
        for (const e of significant) {
          const key = `${wave.wave}\u0000${e.signal}`;
          const prev = harmless.get(key);
          const count = (prev?.clusters ?? 0) + 1;
          const better = !prev || e.effect / Math.max(e.baseline, e.threshold) > prev.effect / Math.max(prev.baseline, prev.threshold);
          harmless.set(key, { ...(better || !prev ? e : prev), wave: wave.wave, clusters: count });
        }
      }
      // an overload the wave did not cause says nothing about the wave's effect
      if (harm && !attributed.has(cluster)) continue;
      const nodes = nodesOf(view, cluster, config);
      const measureAt = nextOtherMs === undefined ? undefined : nextOtherMs - view.stepMs;
      const tooShort = measureAt !== undefined && measureAt - wave.startedAtMs < config.minWaveAgeSeconds * 1000;
      if (confounded || tooShort) continue;
      const fitBusy = loadEffect(view, cluster, LOAD_SIGNALS[0]!, window, shiftOf(SIGNALS.apiBusySeats), config, FIT_LEVEL_POINTS, measureAt);
      if (!fits || nodes === null || !fitBusy) continue;
      if ((!mixedNow && significant.length > 0) || fitBusy.significant) apiChanged = true;
      if (fitBusy.significant) sized.push({ cluster, nodes, effect: fitBusy.effect });
      else bounds.push({ cluster, nodes, effect: fitBusy.threshold });
    }
  }
  const harmlessList = [...harmless.values()].sort((a, b) => a.wave.localeCompare(b.wave) || a.signal.localeCompare(b.signal));
  return { attributed, harmless: harmlessList, sized, bounds, apiChanged, settling, controls: controls.length };
}

/**
 * The strongest significant load effect behind an overload: now, or at its onset when the
 * cluster has no current figures (its control plane went dark under the load).
 */
function overloadEvidence(
  view: SignalView,
  cluster: string,
  window: WaveWindow,
  shiftOf: (signal: string) => ControlShift,
  config: AnalysisConfig,
  significant: readonly LoadEffect[],
  onsetMs: number,
): LoadEffect | undefined {
  const strongest = (list: readonly LoadEffect[]): LoadEffect | undefined =>
    [...list].sort((a, b) => b.effect / b.threshold - a.effect / a.threshold || a.signal.localeCompare(b.signal))[0];
  const now = strongest(significant);
  if (now) return now;
  const atOnset = LOAD_SIGNALS.map((l) => loadEffect(view, cluster, l, window, shiftOf(l.signal), config, config.levelPoints, onsetMs + view.stepMs));
  return strongest(atOnset.filter((e): e is LoadEffect => e !== undefined && e.significant));
}
