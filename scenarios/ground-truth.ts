import type { AlertName } from '../src/alerts/alert.types.js';
import { simulateFrames } from './fleet-simulator.js';
import type { ClusterFrame, ClusterModel } from './cluster-model.js';
import type { Scenario, WaveSpec } from './scenario.types.js';

// What really happened in a run, from the same frames the series come from: the yardstick
// of scoring and of the analysis tests.

export const HEADROOM = 0.8;
export const VISIBLE_SERVFAIL_THRESHOLD = 0.01;

export interface ClusterTruth {
  readonly cluster: string;
  readonly nodes: number;
  readonly capacitySeats: number;
  /** wave of the first rollout that lists the cluster */
  readonly wave: string | null;
  /** every rollout reaching the cluster, with its wave */
  readonly waves: readonly { readonly rolloutId: string; readonly wave: string }[];
  /** the rollout that caused the overload: reached the cluster by its onset and loads it most then */
  readonly overloadRolloutId: string | null;
  /** first scrape with demand above capacity (APF starts rejecting) */
  readonly overloadOnsetMs: number | null;
  readonly collapseMs: number | null;
  /** first scrape where cache misses fail because of a failure (collapse or upstream outage) */
  readonly dnsFailureOnsetMs: number | null;
  readonly dnsFailureCause: 'control_plane' | 'upstream' | 'coredns' | null;
  /** first scrape where the client-visible SERVFAIL ratio reaches 1 % */
  readonly servfailVisibleMs: number | null;
  readonly peakUtilisation: number;
  /** noise-free utilisation once the agent runs on every node (null outside the rollout) */
  readonly predictedUtilisation: number | null;
}

export interface WaveTruth {
  readonly rolloutId: string;
  readonly wave: string;
  readonly startMs: number;
  readonly clusters: readonly string[];
  readonly maxPredictedUtilisation: number;
  readonly maxActualUtilisation: number;
  /**
   * Predicted: noise-free demand at the wave's start with this rollout's agent on every node
   * and other rollouts' agents where they are by then. Actual: peak utilisation without the
   * other rollouts' agents (a bystander answers only for its own load).
   */
  readonly safe: boolean;
  /** what the gate should answer just before the wave starts */
  readonly expectedGate: 'proceed' | 'hold';
}

export interface ExpectedAlert {
  readonly name: AlertName;
  readonly cluster: string;
  /** onset the detection lag is measured from */
  readonly atMs: number;
  readonly rolloutId: string | null;
  /** must start before this time (client-visible impact), if any */
  readonly beforeMs: number | null;
}

export interface GroundTruth {
  readonly scenario: string;
  readonly intervalMs: number;
  /** the first rollout */
  readonly rolloutId: string | null;
  readonly rolloutIds: readonly string[];
  readonly clusters: readonly ClusterTruth[];
  readonly waves: readonly WaveTruth[];
  /** alerts a good detector must raise */
  readonly required: readonly ExpectedAlert[];
  /** alerts that are right but not required (consequences, unattributed real failures) */
  readonly allowed: readonly ExpectedAlert[];
}

export function groundTruth(scenario: Scenario): GroundTruth {
  const rollouts = scenario.rollouts;
  const rolloutId = rollouts[0]?.id ?? null;
  const clusters: ClusterTruth[] = [];
  const required: ExpectedAlert[] = [];
  const allowed: ExpectedAlert[] = [];
  /** per cluster: peak utilisation without each rollout's bystanders (index = rollout) */
  const ownPeaks = new Map<string, number[]>();
  const models = new Map<string, ClusterModel>();

  for (const { model, frames } of simulateFrames(scenario)) {
    const name = model.cluster.name;
    models.set(name, model);
    const reached = rollouts.map((r) => r.waves.find((w) => w.clusters.includes(name)) ?? null);
    const wave = reached[0] ?? null;
    let overloadOnsetMs: number | null = null;
    let overloadRolloutId: string | null = null;
    let dnsFailureOnsetMs: number | null = null;
    let ownFailure = false;
    let servfailVisibleMs: number | null = null;
    let peak = 0;
    const own = rollouts.map(() => 0);
    for (const f of frames) {
      if (!f.apiserverDown) {
        peak = Math.max(peak, f.utilisation);
        const agents = f.agentDemandSeats.reduce((a, b) => a + b, 0);
        own.forEach((p, r) => (own[r] = Math.max(p, (f.demandSeats - agents + f.agentDemandSeats[r]!) / f.capacitySeats)));
        if (overloadOnsetMs === null && f.utilisation > 1) {
          overloadOnsetMs = f.atMs;
          overloadRolloutId = causeOf(reached, f, rollouts.map((r) => r.id));
        }
      }
      if (dnsFailureOnsetMs === null && f.missFailureActive) {
        dnsFailureOnsetMs = f.atMs;
        ownFailure = f.corednsInternal && f.corednsExternal;
      }
      if (servfailVisibleMs === null && f.visibleServfailRatio >= VISIBLE_SERVFAIL_THRESHOLD) servfailVisibleMs = f.atMs;
    }
    ownPeaks.set(name, own);
    const collapseMs = model.collapsedAtMs;
    const dnsFailureCause =
      dnsFailureOnsetMs === null ? null : collapseMs !== null && dnsFailureOnsetMs >= collapseMs ? 'control_plane' : ownFailure ? 'coredns' : 'upstream';
    const predicted = wave ? model.expectedDemand(wave.startMs, [1]) / model.capacitySeats : null;
    clusters.push({
      cluster: name,
      nodes: model.cluster.nodes,
      capacitySeats: model.capacitySeats,
      wave: wave?.name ?? null,
      waves: reached.flatMap((w, r) => (w ? [{ rolloutId: rollouts[r]!.id, wave: w.name }] : [])),
      overloadRolloutId,
      overloadOnsetMs,
      collapseMs,
      dnsFailureOnsetMs,
      dnsFailureCause,
      servfailVisibleMs,
      peakUtilisation: peak,
      predictedUtilisation: predicted,
    });

    const byRollout = overloadRolloutId !== null;
    const expect = (list: ExpectedAlert[], alert: AlertName, atMs: number, attributed: boolean, beforeMs: number | null = null): void => {
      list.push({ name: alert, cluster: name, atMs, rolloutId: attributed ? overloadRolloutId : null, beforeMs });
    };
    if (overloadOnsetMs !== null) {
      if (byRollout) expect(required, 'RolloutControlPlaneOverload', overloadOnsetMs, true);
      else expect(allowed, 'ControlPlaneOverload', overloadOnsetMs, false);
    }
    if (collapseMs !== null) expect(allowed, 'TelemetryLost', collapseMs, byRollout);
    if (dnsFailureOnsetMs !== null) {
      const attributed = byRollout && dnsFailureCause === 'control_plane';
      if (attributed) expect(required, 'DnsFailureMaskedByCache', dnsFailureOnsetMs, true, servfailVisibleMs);
      else expect(allowed, 'DnsFailureMaskedByCache', dnsFailureOnsetMs, false);
      if (servfailVisibleMs !== null) expect(allowed, 'DnsErrorsVisible', servfailVisibleMs, attributed);
    }
    for (const inc of scenario.incidents) {
      if (inc.kind === 'missing_scrapes' && inc.clusters.includes(name)) {
        for (const w of reached.length > 0 ? reached : [null]) {
          const r = w ? rollouts[reached.indexOf(w)]!.id : null;
          allowed.push({ name: 'TelemetryLost', cluster: name, atMs: inc.startMs, rolloutId: r, beforeMs: null });
        }
      }
    }
  }

  const waves: WaveTruth[] = rollouts.flatMap((rollout, r) =>
    rollout.waves.map((w) => {
      const mine = clusters.filter((c) => w.clusters.includes(c.cluster));
      const predictedOf = (c: ClusterTruth): number => {
        const model = models.get(c.cluster)!;
        const coverages = rollouts.map((_, k) => (k === r ? 1 : model.agentCoverage(w.startMs, k)));
        return model.expectedDemand(w.startMs, coverages) / model.capacitySeats;
      };
      const maxPredictedUtilisation = Math.max(...mine.map(predictedOf));
      const maxActualUtilisation = Math.max(...mine.map((c) => ownPeaks.get(c.cluster)![r]!));
      const safe = maxPredictedUtilisation <= HEADROOM && maxActualUtilisation <= HEADROOM;
      return { rolloutId: rollout.id, wave: w.name, startMs: w.startMs, clusters: w.clusters, maxPredictedUtilisation, maxActualUtilisation, safe, expectedGate: safe ? 'proceed' : 'hold' } as const;
    }),
  );
  // Warning of an unsafe next wave is right whenever it comes.
  for (const w of waves) {
    const first = rollouts.find((r) => r.id === w.rolloutId)!.waves[0]!;
    if (!w.safe) for (const c of w.clusters) allowed.push({ name: 'NextWaveCapacityRisk', cluster: c, atMs: first.startMs, rolloutId: w.rolloutId, beforeMs: null });
  }
  return { scenario: scenario.name, intervalMs: scenario.intervalMs, rolloutId, rolloutIds: rollouts.map((r) => r.id), clusters, waves, required, allowed };
}

/**
 * Which rollout caused an overload starting at frame f: of those whose wave reached the
 * cluster by then, the one whose agent demands the most seats (the only one, with one).
 */
function causeOf(reached: readonly (WaveSpec | null)[], f: ClusterFrame, ids: readonly string[]): string | null {
  let best: number | null = null;
  reached.forEach((w, r) => {
    if (!w || w.startMs > f.atMs) return;
    if (best === null || f.agentDemandSeats[r]! > f.agentDemandSeats[best]!) best = r;
  });
  return best === null ? null : ids[best]!;
}
