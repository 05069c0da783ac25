import type { AlertName } from '../src/alerts/alert.types.js';
import { simulateFrames } from './fleet-simulator.js';
import type { Scenario } from './scenario.types.js';

// What really happened in a run, from the same frames the series come from: the yardstick
// of scoring and of the analysis tests.

export const HEADROOM = 0.8;
export const VISIBLE_SERVFAIL_THRESHOLD = 0.01;

export interface ClusterTruth {
  readonly cluster: string;
  readonly nodes: number;
  readonly capacitySeats: number;
  readonly wave: string | null;
  /** first scrape with demand above capacity (APF starts rejecting) */
  readonly overloadOnsetMs: number | null;
  readonly collapseMs: number | null;
  /** first scrape where cache misses fail because of a failure (collapse or upstream outage) */
  readonly dnsFailureOnsetMs: number | null;
  readonly dnsFailureCause: 'control_plane' | 'upstream' | null;
  /** first scrape where the client-visible SERVFAIL ratio reaches 1 % */
  readonly servfailVisibleMs: number | null;
  readonly peakUtilisation: number;
  /** noise-free utilisation once the agent runs on every node (null outside the rollout) */
  readonly predictedUtilisation: number | null;
}

export interface WaveTruth {
  readonly wave: string;
  readonly startMs: number;
  readonly clusters: readonly string[];
  readonly maxPredictedUtilisation: number;
  readonly maxActualUtilisation: number;
  /** no cluster of the wave above the headroom, predicted or actual */
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
  readonly rolloutId: string | null;
  readonly clusters: readonly ClusterTruth[];
  readonly waves: readonly WaveTruth[];
  /** alerts a good detector must raise */
  readonly required: readonly ExpectedAlert[];
  /** alerts that are right but not required (consequences, unattributed real failures) */
  readonly allowed: readonly ExpectedAlert[];
}

export function groundTruth(scenario: Scenario): GroundTruth {
  const rollout = scenario.rollout;
  const rolloutId = rollout?.id ?? null;
  const clusters: ClusterTruth[] = [];
  const required: ExpectedAlert[] = [];
  const allowed: ExpectedAlert[] = [];

  for (const { model, frames } of simulateFrames(scenario)) {
    const name = model.cluster.name;
    const wave = rollout?.waves.find((w) => w.clusters.includes(name)) ?? null;
    let overloadOnsetMs: number | null = null;
    let dnsFailureOnsetMs: number | null = null;
    let servfailVisibleMs: number | null = null;
    let peak = 0;
    for (const f of frames) {
      if (!f.apiserverDown) {
        peak = Math.max(peak, f.utilisation);
        if (overloadOnsetMs === null && f.utilisation > 1) overloadOnsetMs = f.atMs;
      }
      if (dnsFailureOnsetMs === null && f.missFailureActive) dnsFailureOnsetMs = f.atMs;
      if (servfailVisibleMs === null && f.visibleServfailRatio >= VISIBLE_SERVFAIL_THRESHOLD) servfailVisibleMs = f.atMs;
    }
    const collapseMs = model.collapsedAtMs;
    const dnsFailureCause = dnsFailureOnsetMs === null ? null : collapseMs !== null && dnsFailureOnsetMs >= collapseMs ? 'control_plane' : 'upstream';
    const predicted = wave ? model.expectedDemand(wave.startMs, 1) / model.capacitySeats : null;
    clusters.push({
      cluster: name,
      nodes: model.cluster.nodes,
      capacitySeats: model.capacitySeats,
      wave: wave?.name ?? null,
      overloadOnsetMs,
      collapseMs,
      dnsFailureOnsetMs,
      dnsFailureCause,
      servfailVisibleMs,
      peakUtilisation: peak,
      predictedUtilisation: predicted,
    });

    const byRollout = wave !== null && overloadOnsetMs !== null && overloadOnsetMs >= wave.startMs;
    const expect = (list: ExpectedAlert[], alert: AlertName, atMs: number, attributed: boolean, beforeMs: number | null = null): void => {
      list.push({ name: alert, cluster: name, atMs, rolloutId: attributed ? rolloutId : null, beforeMs });
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
      if (inc.kind === 'missing_scrapes' && inc.clusters.includes(name)) expect(allowed, 'TelemetryLost', inc.startMs, wave !== null);
    }
  }

  const waves: WaveTruth[] = (rollout?.waves ?? []).map((w) => {
    const mine = clusters.filter((c) => w.clusters.includes(c.cluster));
    const maxPredictedUtilisation = Math.max(...mine.map((c) => c.predictedUtilisation ?? 0));
    const maxActualUtilisation = Math.max(...mine.map((c) => c.peakUtilisation));
    const safe = maxPredictedUtilisation <= HEADROOM && maxActualUtilisation <= HEADROOM;
    return { wave: w.name, startMs: w.startMs, clusters: w.clusters, maxPredictedUtilisation, maxActualUtilisation, safe, expectedGate: safe ? 'proceed' : 'hold' };
  });
  // Warning of an unsafe next wave is right whenever it comes.
  for (const w of waves) {
    if (!w.safe) for (const c of w.clusters) allowed.push({ name: 'NextWaveCapacityRisk', cluster: c, atMs: rollout!.waves[0]!.startMs, rolloutId, beforeMs: null });
  }
  return { scenario: scenario.name, intervalMs: scenario.intervalMs, rolloutId, clusters, waves, required, allowed };
}
