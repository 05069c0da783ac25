// Findings as the alert lifecycle stores them: stable keys, event-time onsets, key figures.
import type { AlertName, Finding } from './analysis.types.js';
import type { HarmState } from './control-plane-harm.js';
import { DNS_CAUSE_TEXT, dnsFigures, type DnsAssessment } from './dns-masking.js';
import type { NextWaveOutcome } from './next-wave-prediction.js';
import type { TelemetryLoss } from './telemetry-loss.js';
import type { AttributedOverload } from './wave-effects.js';

export function findingKey(name: AlertName, rolloutId: string | null, scope: string): string {
  return `${name}|${rolloutId ?? ''}|${scope}`;
}

const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
// three significant digits: a power-law coefficient can be 1e-4 and must not print as 0
const num = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : 'n/a');

function harmFigures(h: HarmState): Record<string, number> {
  const f: Record<string, number> = { busySeats: h.busySeats, capacitySeats: h.capacitySeats, utilization: h.utilization, observed: h.observed, threshold: h.threshold };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => Number.isFinite(v)));
}

/** "roll back within ~N min — …" for a projected deadline (event ms) seen at nowMs */
export function rollbackWithin(deadlineMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.round((deadlineMs - nowMs) / 60_000));
  return `roll back within ~${minutes} min — after that the API server may not accept the rollback`;
}

export function rolloutOverloadFinding(rolloutId: string, a: AttributedOverload, nodes: number | null, deadlineMs: number | null = null, nowMs = 0): Finding {
  const h = a.harm;
  const figures: Record<string, number> = {
    ...harmFigures(h),
    baseline: a.evidence.baseline,
    expected: a.evidence.expected,
    effect: a.evidence.effect,
    controlRatio: a.controlRatio,
  };
  if (a.busy) figures.busySeatsBaseline = a.busy.baseline;
  if (nodes !== null) figures.nodes = nodes;
  if (deadlineMs !== null) {
    figures.rollbackDeadlineMs = deadlineMs;
    figures.rollbackWithinSeconds = Math.max(0, Math.round((deadlineMs - nowMs) / 1000));
  }
  return {
    alertName: 'RolloutControlPlaneOverload',
    severity: 'critical',
    key: findingKey('RolloutControlPlaneOverload', rolloutId, h.cluster),
    rolloutId,
    wave: a.wave,
    clusters: [h.cluster],
    onsetMs: h.onsetMs,
    timeToImpactSeconds: null,
    figures,
    summary: `${rolloutId} ${a.wave} overloads the API server of ${h.cluster}`,
    description:
      `${h.signal} ${num(h.observed)} ≥ ${num(h.threshold)} on ${h.cluster} (utilisation ${pct(h.utilization)} of ${num(h.capacitySeats)} seats) since ${a.wave} reached it; ` +
      `${a.evidence.signal} rose from ${num(a.evidence.baseline)} to ${num(a.evidence.observed)} while unreached clusters moved ×${num(a.controlRatio)}.` +
      (deadlineMs !== null ? ` Projected to stop serving at ${new Date(deadlineMs).toISOString()}: ${rollbackWithin(deadlineMs, nowMs)}.` : ''),
  };
}

export function overloadFinding(h: HarmState): Finding {
  return {
    alertName: 'ControlPlaneOverload',
    severity: 'critical',
    key: findingKey('ControlPlaneOverload', null, h.cluster),
    rolloutId: null,
    wave: null,
    clusters: [h.cluster],
    onsetMs: h.onsetMs,
    timeToImpactSeconds: null,
    figures: harmFigures(h),
    summary: `API server of ${h.cluster} is overloaded (not attributable to a rollout)`,
    description: `${h.signal} ${num(h.observed)} ≥ ${num(h.threshold)} on ${h.cluster} (utilisation ${pct(h.utilization)} of ${num(h.capacitySeats)} seats); no active rollout wave explains it.`,
  };
}

const causeText = (d: DnsAssessment): string => (d.cause ? ` Cause: ${DNS_CAUSE_TEXT[d.cause]}.` : '');

export function dnsMaskedFinding(d: DnsAssessment, rolloutId: string | null, wave: string | null, cause: string | null): Finding {
  const s = d.status;
  const onsetMs = d.masked?.onsetMs ?? 0;
  const tti = s.timeToImpactSeconds === null ? 'never at the current miss-failure ratio' : `in about ${Math.round(s.timeToImpactSeconds)} s`;
  return {
    alertName: 'DnsFailureMaskedByCache',
    severity: 'critical',
    key: findingKey('DnsFailureMaskedByCache', rolloutId, s.cluster),
    rolloutId,
    wave,
    clusters: [s.cluster],
    onsetMs,
    timeToImpactSeconds: s.timeToImpactSeconds,
    figures: dnsFigures(d),
    summary: `DNS misses fail on ${s.cluster} while the cache still answers`,
    description:
      `${pct(s.missFailureRatio)} of cache misses fail, cache hit ratio ${pct(s.cacheHitRatio)}, visible SERVFAIL ${pct(s.visibleErrorRatio)}; ` +
      `as entries age out (τ ${num(d.masked?.tauSeconds ?? Number.NaN)} s) the visible ratio tends to ${pct(s.projectedErrorRatio)} and crosses the threshold ${tti}.` +
      causeText(d) +
      (cause ? ` ${cause}` : ''),
    ...(d.cause ? { cause: d.cause } : {}),
  };
}

export function dnsVisibleFinding(d: DnsAssessment, onsetMs: number, rolloutId: string | null, wave: string | null, cause: string | null): Finding {
  const s = d.status;
  return {
    alertName: 'DnsErrorsVisible',
    severity: 'critical',
    key: findingKey('DnsErrorsVisible', rolloutId, s.cluster),
    rolloutId,
    wave,
    clusters: [s.cluster],
    onsetMs,
    timeToImpactSeconds: 0,
    figures: dnsFigures(d),
    summary: `Clients on ${s.cluster} see DNS SERVFAIL`,
    description:
      `visible SERVFAIL ${pct(s.visibleErrorRatio)}, cache misses failing ${pct(s.missFailureRatio)}, cache hit ratio ${pct(s.cacheHitRatio)}.` + causeText(d) + (cause ? ` ${cause}` : ''),
    ...(d.cause ? { cause: d.cause } : {}),
  };
}

export function telemetryLostFinding(rolloutId: string, wave: string, t: TelemetryLoss): Finding {
  const figures: Record<string, number> = { silentSeconds: t.silentSeconds };
  if (t.lastSampleMs !== null) figures.lastSampleMs = t.lastSampleMs;
  return {
    alertName: 'TelemetryLost',
    severity: 'critical',
    key: findingKey('TelemetryLost', rolloutId, t.cluster),
    rolloutId,
    wave,
    clusters: [t.cluster],
    onsetMs: t.onsetMs,
    timeToImpactSeconds: null,
    figures,
    summary: `Telemetry of ${t.cluster} (${rolloutId} ${wave}) is lost`,
    description: `${t.cluster}: ${t.cause.replace(/_/g, ' ')}${t.silentSeconds > 0 ? ` for ${Math.round(t.silentSeconds)} s` : ''}; the gate holds until it reports again.`,
  };
}

export function nextWaveFinding(rolloutId: string, outcome: NextWaveOutcome, onsetMs: number): Finding {
  const worst = [...outcome.risky].sort((a, b) => b.predictedUtilization - a.predictedUtilization || a.cluster.localeCompare(b.cluster))[0]!;
  const figures: Record<string, number> = {
    predictedUtilization: worst.predictedUtilization,
    predictedBusySeats: worst.predicted,
    capacitySeats: worst.capacity,
    clustersAtRisk: outcome.risky.length,
  };
  if (outcome.fit) figures.exponent = outcome.fit.exponent;
  if (outcome.fit?.exponentStdError != null) figures.exponentStdError = outcome.fit.exponentStdError;
  if (worst.nodes !== null) figures.nodes = worst.nodes;
  return {
    alertName: 'NextWaveCapacityRisk',
    severity: 'warning',
    key: findingKey('NextWaveCapacityRisk', rolloutId, outcome.wave),
    rolloutId,
    wave: outcome.wave,
    clusters: outcome.risky.map((p) => p.cluster).sort(),
    onsetMs,
    timeToImpactSeconds: null,
    figures,
    summary: `${rolloutId} ${outcome.wave} would overload ${outcome.risky.length} cluster(s)`,
    description:
      `${worst.cluster} predicted at ${num(worst.predicted)} of ${num(worst.capacity)} seats (${pct(worst.predictedUtilization)})` +
      (outcome.fit ? ` from effect ≈ ${num(outcome.fit.coefficient)}·nodes^${num(outcome.fit.exponent)} over ${outcome.fit.clustersUsed.length} cluster(s)` : '') +
      '.',
  };
}

export function dnsFindingsFor(d: DnsAssessment, rolloutId: string | null, wave: string | null, cause: string | null): Finding[] {
  const out: Finding[] = [];
  if (d.masked) out.push(dnsMaskedFinding(d, rolloutId, wave, cause));
  if (d.visibleOnsetMs !== undefined) out.push(dnsVisibleFinding(d, d.visibleOnsetMs, rolloutId, wave, cause));
  return out;
}
