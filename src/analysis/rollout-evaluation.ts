// One rollout: attributed overloads, harmless attributable changes, telemetry loss, DNS
// failures its wave caused, the next-wave prediction and the verdict.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import type { DnsStatus, Finding, RolloutHealth } from './analysis.types.js';
import { nodesOf, type HarmState } from './control-plane-harm.js';
import type { DnsAssessment } from './dns-masking.js';
import { dnsFindingsFor, nextWaveFinding, rollbackWithin, rolloutOverloadFinding, telemetryLostFinding } from './finding-builders.js';
import { rollbackDeadlineMs } from './rollback-deadline.js';
import { predictNextWave } from './next-wave-prediction.js';
import { reason, sortReasons, strongestVerdict, type RatedReason } from './rated-reason.js';
import type { RolloutScope, StartedWave } from './rollout-scope.js';
import type { SignalView } from './signal-view.js';
import { assessTelemetry, type TelemetryLoss } from './telemetry-loss.js';
import { waveEffects, type WaveEffects } from './wave-effects.js';

export interface RolloutOutcome {
  readonly health: RolloutHealth;
  readonly findings: readonly Finding[];
  readonly attributedClusters: ReadonlySet<string>;
  /** clusters whose DNS findings this rollout owns (its wave broke their control plane) */
  readonly dnsClusters: ReadonlySet<string>;
}

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

/** what the analyzer decided about concurrent rollouts before each rollout is evaluated */
export interface ConcurrentContext {
  /** this rollout's wave effects (attributions already arbitrated), when attributable */
  readonly effects: WaveEffects | undefined;
  /** overloaded clusters and the rollout they are attributed to (null: none explains it) */
  readonly overloads: ReadonlyMap<string, string | null>;
  /** clusters other attributable rollouts reached too: a lost control plane there is nobody's alone */
  readonly shared: ReadonlySet<string>;
  /** per cluster: the attributable rollout that reached it first (owns a loss nothing else explains) */
  readonly firstArrival: ReadonlyMap<string, string>;
}

export function evaluateRollout(
  view: SignalView,
  scope: RolloutScope,
  harms: ReadonlyMap<string, HarmState>,
  dns: ReadonlyMap<string, DnsAssessment>,
  config: AnalysisConfig,
  wallClockMs: number | undefined,
  context?: ConcurrentContext,
): RolloutOutcome {
  const rolloutId = scope.rollout.rolloutId;
  const reasons: RatedReason[] = [];
  const findings: Finding[] = [];
  const waveOf = new Map<string, StartedWave>();
  for (const w of scope.started) for (const c of w.clusters) waveOf.set(c, w);

  const effects = context ? context.effects : scope.attributable ? waveEffects(view, scope, harms, config) : undefined;
  for (const [cluster, a] of effects?.attributed ?? []) {
    const deadline = rollbackDeadlineMs(view, a.harm, config);
    findings.push(rolloutOverloadFinding(rolloutId, a, nodesOf(view, cluster, config), deadline, view.nowPointMs));
    reasons.push(
      reason('rollback', {
        code: 'control_plane_overload',
        severity: 'critical',
        wave: a.wave,
        cluster,
        signal: a.harm.signal,
        observed: round(a.harm.observed),
        baseline: round(a.busy && a.harm.signal === SIGNALS.apiBusySeats ? a.busy.baseline : a.evidence.baseline),
        message:
          `${cluster} overloaded since ${a.wave} reached it: ${a.harm.signal} ${round(a.harm.observed)} ≥ ${round(a.harm.threshold)}, utilisation ${round(100 * a.harm.utilization, 1)} %; ${a.evidence.signal} ${round(a.evidence.baseline)} → ${round(a.evidence.observed)}` +
          (deadline !== null ? `; ${rollbackWithin(deadline, view.nowPointMs)}` : ''),
        ...(deadline !== null ? { rollbackDeadlineMs: deadline } : {}),
      }),
    );
  }
  // a bystander: an overload in its reached clusters that another rollout (or nothing) explains
  for (const w of scope.started) {
    for (const cluster of w.clusters) {
      const owner = context?.overloads.get(cluster);
      if (owner === undefined || owner === rolloutId || !harms.has(cluster)) continue;
      const h = harms.get(cluster)!;
      reasons.push(
        reason('proceed', {
          code: 'control_plane_overload',
          severity: 'warning',
          wave: w.wave,
          cluster,
          signal: h.signal,
          observed: round(h.observed),
          baseline: round(h.threshold),
          message: `${cluster} is overloaded, but ${owner === null ? 'no rollout explains it' : `${owner} explains it (timing and dose-response)`}, not ${rolloutId}`,
        }),
      );
    }
  }
  for (const e of effects?.harmless ?? []) {
    reasons.push(
      reason('proceed', {
        code: 'control_plane_overload',
        severity: 'warning',
        wave: e.wave,
        cluster: e.cluster,
        signal: e.signal,
        observed: round(e.observed),
        baseline: round(e.baseline),
        message: `harmless attributable change: ${e.signal} ${round(e.baseline)} → ${round(e.observed)} on ${e.cluster} (${e.clusters} cluster(s) of ${e.wave} changed), far from overload`,
      }),
    );
  }

  const losses = new Map<string, TelemetryLoss>();
  // losses are looked for while effects are attributable; after completion they still
  // explain DNS failures, and the gate fails closed on them
  if (scope.attributable) {
    for (const w of scope.started) {
      for (const cluster of w.clusters) {
        const loss = assessTelemetry(view, cluster, view.alignedMs(w.startedAtMs), config, wallClockMs);
        if (!loss) {
          // not lost yet, but nothing to judge it on either: fail closed until it reports
          if (view.info(cluster)?.lastSampleMs === undefined) {
            reasons.push(
              reason('hold', {
                code: 'no_data',
                severity: 'warning',
                wave: w.wave,
                cluster,
                signal: null,
                observed: null,
                baseline: null,
                message: `${cluster} of ${w.wave} has not reported any sample yet; holding until it does`,
              }),
            );
          }
          continue;
        }
        losses.set(cluster, loss);
        // another rollout's overload took the cluster down: its alert, our hold (fail closed)
        const owner = context?.overloads.get(cluster) ?? (context?.shared.has(cluster) ? context.firstArrival.get(cluster) : undefined);
        const elsewhere = owner !== undefined && owner !== null && owner !== rolloutId;
        if (!elsewhere) findings.push(telemetryLostFinding(rolloutId, w.wave, loss));
        reasons.push(
          reason('hold', {
            code: 'telemetry_lost',
            severity: 'critical',
            wave: w.wave,
            cluster,
            signal: loss.cause === 'apiserver_stale' ? SIGNALS.apiRequestRate : loss.cause === 'targets_down' ? SIGNALS.targetsDown : null,
            observed: round(loss.silentSeconds, 0),
            baseline: config.telemetryLostAfterSeconds,
            message: `telemetry of ${cluster} lost (${loss.cause.replace(/_/g, ' ')})${elsewhere ? ` after ${owner} overloaded it` : ''}; failing closed`,
          }),
        );
      }
    }
  }

  // live only: a next-wave cluster that reported and went quiet leaves the prediction blind
  if (scope.inProgress && wallClockMs !== undefined && scope.nextWave) {
    for (const cluster of [...new Set(scope.nextWave.clusters)].sort()) {
      if (scope.reached.has(cluster) || losses.has(cluster)) continue;
      const loss = assessTelemetry(view, cluster, view.nowPointMs, config, wallClockMs);
      if (loss?.cause !== 'silent') continue;
      losses.set(cluster, loss);
      findings.push(telemetryLostFinding(rolloutId, scope.nextWave.wave, loss));
      reasons.push(
        reason('hold', {
          code: 'telemetry_lost',
          severity: 'critical',
          wave: scope.nextWave.wave,
          cluster,
          signal: null,
          observed: round(loss.silentSeconds, 0),
          baseline: config.telemetryLostAfterSeconds,
          message: `telemetry of next-wave cluster ${cluster} lost (silent); failing closed`,
        }),
      );
    }
  }

  const dnsClusters = new Set<string>();
  const dnsStatus: DnsStatus[] = [];
  for (const w of scope.started) {
    for (const cluster of w.clusters) {
      const d = dns.get(cluster);
      if (!d) continue;
      dnsStatus.push(d.status);
      const owner = context?.overloads.get(cluster);
      const ownedElsewhere = owner !== undefined && owner !== null && owner !== rolloutId;
      // without an attributed overload to decide, a shared cluster's lost control plane stays unattributed
      const loss = context?.shared.has(cluster) ? undefined : losses.get(cluster);
      const cause = ownedElsewhere ? null : dnsCause(cluster, w, view.alignedMs(w.startedAtMs), d, effects?.attributed.has(cluster) ?? false, loss);
      if (!cause || !scope.attributable) continue;
      dnsClusters.add(cluster);
      findings.push(...dnsFindingsFor(d, rolloutId, w.wave, cause));
      const visible = d.visibleOnsetMs !== undefined;
      reasons.push(
        reason('rollback', {
          code: visible ? 'dns_errors_visible' : 'dns_masked_failure',
          severity: 'critical',
          wave: w.wave,
          cluster,
          signal: visible ? SIGNALS.dnsServfailRatio : SIGNALS.dnsMissFailureRatio,
          observed: round(visible ? d.status.visibleErrorRatio : d.status.missFailureRatio, 4),
          baseline: config.dnsVisibleThreshold,
          message: `${cluster}: ${cause} visible SERVFAIL ${round(100 * d.status.visibleErrorRatio, 2)} %, misses failing ${round(100 * d.status.missFailureRatio, 1)} %` +
            (d.status.timeToImpactSeconds !== null ? `, time to impact ${Math.round(d.status.timeToImpactSeconds)} s` : ''),
        }),
      );
    }
  }

  const next = effects ? predictNextWave(view, scope, effects, config) : undefined;
  if (next) {
    reasons.push(...next.reasons);
    if (next.risky.length > 0) {
      // first moment the evidence behind the fit was measurable: stable while the fit's
      // waves stay the same, never later than now
      const used = new Set(next.fit?.clustersUsed ?? []);
      const measurableFrom = scope.started
        .filter((w) => w.clusters.some((c) => used.has(c)))
        .map((w) => view.alignedMs(w.startedAtMs) + config.minWaveAgeSeconds * 1000);
      const onsetMs = Math.min(view.nowPointMs, measurableFrom.length > 0 ? Math.max(...measurableFrom) : view.nowPointMs);
      findings.push(nextWaveFinding(rolloutId, next, onsetMs));
    }
    for (const c of [...new Set(scope.nextWave?.clusters ?? [])].sort()) {
      const d = dns.get(c);
      if (d && !scope.reached.has(c)) dnsStatus.push(d.status);
    }
  }

  const sorted = sortReasons(reasons);
  const health: RolloutHealth = {
    rolloutId,
    verdict: strongestVerdict(sorted),
    evaluatedAt: view.nowMs,
    reasons: sorted.map((r) => r.reason),
    nextWave: next
      ? { wave: next.wave, verdict: strongestVerdict(next.reasons), predictions: next.predictions, fit: next.fit }
      : null,
    dns: dnsStatus.sort((a, b) => a.cluster.localeCompare(b.cluster)),
  };
  return { health, findings, attributedClusters: new Set(effects?.attributed.keys() ?? []), dnsClusters };
}

/** why the wave is to blame for this cluster's DNS failure, or null when it is not */
function dnsCause(cluster: string, wave: StartedWave, waveStartMs: number, d: DnsAssessment, overloaded: boolean, loss: TelemetryLoss | undefined): string | null {
  const onsetMs = d.masked?.onsetMs ?? d.visibleOnsetMs;
  if (onsetMs === undefined || onsetMs < waveStartMs) return null;
  // an upstream resolver or CoreDNS itself failing is not the rollout's doing
  if (d.cause === 'upstream' || d.cause === 'coredns') return null;
  if (overloaded) return `the API server of ${cluster} is overloaded by ${wave.wave}, and cluster DNS depends on it.`;
  if (loss && loss.cause !== 'never_reported' && loss.lastSampleMs !== null && loss.lastSampleMs >= waveStartMs) {
    return `the control plane of ${cluster} stopped reporting after ${wave.wave} reached it, and cluster DNS depends on it.`;
  }
  return null;
}
