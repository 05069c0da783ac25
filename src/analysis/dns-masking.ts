// Cache-masked DNS failure. Misses failing (f) while hits (h) still answer keep the visible
// SERVFAIL ratio near f·(1−h). Entries stop being refreshed once misses fail, so h ages out
// linearly over the cache lifetime τ (TTLs spread evenly over τ):
//   h(t) = h0·(1 − t/τ),  visible(t) = f·(1 − h(t)),  tending to f.
import { SIGNALS } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';
import type { DnsStatus } from './analysis.types.js';
import { hysteresisState, type HysteresisState } from './condition-run.js';
import { harmRule } from './control-plane-harm.js';
import { finiteValues } from './robust-stats.js';
import { RECENT_STEPS, type SignalView } from './signal-view.js';

/** which backend the failing misses come from (named in findings, labels and annotations) */
export type DnsFailureCause = 'control_plane' | 'upstream' | 'coredns' | 'unknown';

export const DNS_CAUSE_TEXT: Record<DnsFailureCause, string> = {
  control_plane: 'the control plane (the kubernetes plugin cannot reach the API server)',
  upstream: 'an upstream resolver (the forward plugin gets failing answers)',
  coredns: 'CoreDNS itself (misses fail while neither backend does)',
  unknown: 'unknown (this CoreDNS does not say which backend fails)',
};

export interface DnsAssessment {
  readonly status: DnsStatus;
  /** set while misses fail or SERVFAIL is visible */
  readonly cause: DnsFailureCause | undefined;
  readonly servedStaleRate: number;
  /** set while misses fail behind the cache and the visible ratio is under threshold */
  readonly masked: MaskedFailure | undefined;
  /** set while the visible SERVFAIL ratio is over threshold */
  readonly visibleOnsetMs: number | undefined;
}

export interface MaskedFailure {
  readonly onsetMs: number;
  readonly baselineHitRatio: number;
  readonly tauSeconds: number;
  readonly tauRefined: boolean;
  /** p of L(a) = (a/τ)^p behind timeToImpactSeconds */
  readonly agingExponent: number;
  /** false: p is ASSUMED_AGING_EXPONENT, the exposure did not grow measurably yet */
  readonly agingMeasured: boolean;
}

const STRONG_SCORE = 3;
const HIT_BASELINE_MS = 5 * 60_000;

/**
 * Cache aging: the share of cached answers lost a seconds after misses started failing is
 * L(a) = (a/τ)^p. p = 1 is entries refreshed at uniformly spread times (the most pessimistic
 * shape); with serve_stale, hot names were refreshed within a record TTL of the failure and
 * live until near τ, so losses start slowly (p > 1). Until L is measurable p is assumed.
 */
export const ASSUMED_AGING_EXPONENT = 3;
const MAX_AGING_EXPONENT = 8;

export interface DnsProjection {
  /** exposure e = visible ÷ miss-failure: share of queries reaching failing lookups */
  readonly exposure: number;
  /** visible SERVFAIL ratio now */
  readonly visible: number;
  /** exposure before the failure, 1 − h0 */
  readonly baseExposure: number;
  /** miss-failure ratio the projection uses (raised while the ratio still rises) */
  readonly missFailure: number;
  readonly ageSeconds: number;
  readonly tauSeconds: number;
  readonly threshold: number;
  /** set when the growth of the exposure is measurable */
  readonly measuredExponent: number | undefined;
  /** smallest p the exposure seen so far allows: an assumed p that should have crossed by now is too small */
  readonly exponentFloor?: number | undefined;
}

/** seconds from now until f·e crosses threshold, e growing by L(a) = (a/τ)^p toward 1 */
export function dnsTimeToImpact(p: DnsProjection): { seconds: number | null; exponent: number } {
  const exponent = p.measuredExponent ?? Math.min(MAX_AGING_EXPONENT, Math.max(ASSUMED_AGING_EXPONENT, p.exponentFloor ?? 1));
  if (!(p.missFailure > p.threshold)) return { seconds: null, exponent };
  const target = p.threshold / p.missFailure;
  if (p.visible >= p.threshold || p.baseExposure >= 1) return { seconds: 0, exponent };
  const lost = Math.min(1, Math.max(0, (target - p.baseExposure) / (1 - p.baseExposure)));
  const crossingAge = p.tauSeconds * lost ** (1 / exponent);
  return { seconds: Math.min(Math.max(0, crossingAge - p.ageSeconds), Math.max(0, p.tauSeconds - p.ageSeconds)), exponent };
}

/** p from the exposure now, when it rose clearly above its pre-failure level and noise */
function measuredExponent(e: number, e0: number, noise: number, target: number, ageSeconds: number, tauSeconds: number): number | undefined {
  const rise = e - e0;
  if (!(rise > 4 * noise && rise > 0.05 * (target - e0)) || ageSeconds <= 0 || ageSeconds >= tauSeconds || e0 >= 1) return undefined;
  const lost = Math.min(1, rise / (1 - e0));
  const p = Math.log(lost) / Math.log(ageSeconds / tauSeconds);
  return Number.isFinite(p) ? Math.min(MAX_AGING_EXPONENT, Math.max(1, p)) : undefined;
}

/**
 * While the exposure has not measurably risen, at most (rise⁺ + 2σ) ÷ (1 − e0) of the cached
 * answers are lost at age a, so p ≥ ln(that) ÷ ln(a/τ): keeps the projection from reaching 0
 * while the visible ratio stays low.
 */
function exponentFloor(e: number, e0: number, noise: number, ageSeconds: number, tauSeconds: number): number {
  if (ageSeconds <= 0 || ageSeconds >= tauSeconds || e0 >= 1) return 1;
  const lostAtMost = (Math.max(0, e - e0) + 2 * noise) / (1 - e0);
  if (!(lostAtMost > 0 && lostAtMost < 1)) return 1;
  return Math.log(lostAtMost) / Math.log(ageSeconds / tauSeconds);
}

function scoreSeries(values: Float64Array, threshold: number): Float64Array {
  return values.map((v) => v / threshold);
}

/** below this miss share, visible ÷ (1 − h) is too noisy to imply a miss-failure ratio */
const MIN_MISS_SHARE = 0.002;

/**
 * The miss-failure ratio, or what the visible ratio implies (v ÷ (1 − h)) when that is
 * larger: older CoreDNS only counts forwarded misses, so a failing kubernetes plugin (the
 * control plane behind cluster DNS) is missing from the direct signal.
 */
function missFailureSeries(f: Float64Array, v: Float64Array, h: Float64Array): Float64Array {
  return f.map((direct, i) => {
    const miss = 1 - h[i]!;
    const implied = miss >= MIN_MISS_SHARE ? v[i]! / miss : Number.NaN;
    if (Number.isNaN(implied)) return direct;
    return Number.isNaN(direct) ? implied : Math.max(direct, implied);
  });
}

type Read = (signal: string) => Float64Array;

/**
 * Small clusters answer a handful of misses per second, so one failed forward makes a large
 * ratio: a miss-failure point counts only with enough failing misses per second behind it.
 */
function scores(read: Read, kind: 'miss' | 'visible', config: AnalysisConfig): Float64Array {
  if (kind === 'visible') return scoreSeries(read(SIGNALS.dnsServfailRatio), config.dnsVisibleThreshold);
  const h = read(SIGNALS.dnsCacheHitRatio);
  const f = missFailureSeries(read(SIGNALS.dnsMissFailureRatio), read(SIGNALS.dnsServfailRatio), h);
  const rate = read(SIGNALS.dnsRequestRate);
  return f.map((ratio, i) => {
    const failing = ratio * rate[i]! * (1 - h[i]!);
    return failing < config.dnsMinFailingMissRate ? 0 : ratio / config.dnsMissFailureThreshold;
  });
}

/** the condition's hysteresis state (open ≥ threshold, clears below clearRatio of it) */
function runOf(view: SignalView, cluster: string, kind: 'miss' | 'visible', config: AnalysisConfig): HysteresisState {
  const recentFirst = view.nowPointMs - (RECENT_STEPS - 1) * view.stepMs;
  const rule = harmRule(config, STRONG_SCORE);
  return hysteresisState(scores((s) => view.recent(cluster, s), kind, config), recentFirst, view.stepMs, rule, () => {
    const from = view.nowPointMs - Math.floor((config.onsetLookbackSeconds * 1000) / view.stepMs) * view.stepMs;
    return { scores: scores((s) => view.range(cluster, s, from, view.nowPointMs), kind, config), firstMs: from };
  });
}

/** τ from the observed fall of h since the onset, when it fell clearly; else the configured τ */
function cacheLifetime(view: SignalView, cluster: string, onsetMs: number, h0: number, configured: number): { tau: number; refined: boolean } {
  const values = view.range(cluster, SIGNALS.dnsCacheHitRatio, onsetMs, view.nowPointMs);
  const ts: number[] = [];
  const hs: number[] = [];
  values.forEach((h, i) => {
    if (Number.isFinite(h)) {
      ts.push((i * view.stepMs) / 1000);
      hs.push(h);
    }
  });
  if (hs.length < 6 || h0 <= 0) return { tau: configured, refined: false };
  const mt = ts.reduce((a, b) => a + b, 0) / ts.length;
  const mh = hs.reduce((a, b) => a + b, 0) / hs.length;
  let stt = 0;
  let sth = 0;
  ts.forEach((t, i) => {
    stt += (t - mt) ** 2;
    sth += (t - mt) * (hs[i]! - mh);
  });
  const slope = sth / stt;
  const fell = h0 - Math.min(...hs.slice(-2));
  if (!(slope < 0) || fell < 0.05) return { tau: configured, refined: false };
  const tau = Math.min(4 * configured, Math.max(configured / 4, h0 / -slope));
  return { tau, refined: true };
}

/**
 * Exposure now (e = v ÷ f at the newest point) and the miss-failure ratio to project with:
 * while f still rises (newest point > 10 % over the one before) its plateau is unknown, so
 * the projection assumes it doubles (capped at 1) — the earlier estimate.
 */
interface ProjectionContext {
  readonly onsetMs: number;
  readonly h0: number;
  readonly noise: number;
  readonly tau: number;
  readonly theta: number;
  /** the assessed miss-failure ratio, when the newest point of the series is missing */
  readonly missFailure: number;
}

function projectionInputs(view: SignalView, cluster: string, c: ProjectionContext): DnsProjection {
  const read = (signal: string): Float64Array => view.recent(cluster, signal);
  const v = read(SIGNALS.dnsServfailRatio);
  const f = missFailureSeries(read(SIGNALS.dnsMissFailureRatio), v, read(SIGNALS.dnsCacheHitRatio));
  // the newest step may still be incomplete (NaN): use the newest point where both are known
  let i = f.length - 1;
  while (i >= 0 && !(Number.isFinite(f[i]!) && Number.isFinite(v[i]!))) i--;
  const fNow = i >= 0 ? f[i]! : c.missFailure;
  const fPrev = i >= 1 ? f[i - 1]! : Number.NaN;
  const rising = !(fPrev >= 0.9 * fNow);
  const missFailure = rising ? Math.min(1, 2 * fNow) : fNow;
  const baseExposure = 1 - c.h0;
  const visible = i >= 0 ? v[i]! : Number.NaN;
  const e = visible / fNow;
  const exposure = Number.isFinite(e) && fNow > 0 ? Math.min(1, e) : baseExposure;
  const ageSeconds = (view.nowPointMs - c.onsetMs) / 1000;
  const measured = measuredExponent(exposure, baseExposure, c.noise, c.theta / missFailure, ageSeconds, c.tau);
  const floor = exponentFloor(exposure, baseExposure, c.noise, ageSeconds, c.tau);
  return { exposure, visible: Number.isFinite(visible) ? visible : exposure * fNow, baseExposure, missFailure, ageSeconds, tauSeconds: c.tau, threshold: c.theta, measuredExponent: measured, exponentFloor: floor };
}

export function assessDns(view: SignalView, cluster: string, config: AnalysisConfig): DnsAssessment | undefined {
  const direct = view.latest(cluster, SIGNALS.dnsMissFailureRatio);
  const h = view.latest(cluster, SIGNALS.dnsCacheHitRatio);
  const v = view.latest(cluster, SIGNALS.dnsServfailRatio);
  if (!Number.isFinite(direct) && !Number.isFinite(h) && !Number.isFinite(v)) return undefined;
  const hitRatio = Number.isFinite(h) ? h : 0;
  const visible = Number.isFinite(v) ? v : 0;
  const implied = Number.isFinite(h) && Number.isFinite(v) && 1 - h >= MIN_MISS_SHARE ? v / (1 - h) : 0;
  const missFailure = Math.max(Number.isFinite(direct) ? direct : 0, implied);
  const theta = config.dnsVisibleThreshold;
  const configuredTau = config.clusters[cluster]?.cacheTtlSeconds ?? config.cacheTtlSeconds;

  const failing = runOf(view, cluster, 'miss', config);
  const visibleRun = runOf(view, cluster, 'visible', config);
  let masked: MaskedFailure | undefined;
  let tti: number | null = null;
  if (failing.active) {
    const onsetMs = failing.onsetMs;
    const before = view.baseline(cluster, SIGNALS.dnsCacheHitRatio, onsetMs - HIT_BASELINE_MS, onsetMs - view.stepMs);
    const h0 = Number.isFinite(before.median) ? Math.max(before.median, hitRatio) : hitRatio;
    const { tau, refined } = cacheLifetime(view, cluster, onsetMs, h0, configuredTau);
    const noise = Number.isFinite(before.sigma) ? before.sigma : 0;
    const projection = projectionInputs(view, cluster, { onsetMs, h0, noise, tau, theta, missFailure });
    const result = dnsTimeToImpact(projection);
    tti = result.seconds;
    if (!visibleRun.active) {
      masked = { onsetMs, baselineHitRatio: h0, tauSeconds: tau, tauRefined: refined, agingExponent: result.exponent, agingMeasured: projection.measuredExponent !== undefined };
    }
  }
  const visibleOnsetMs = visibleRun.active ? visibleRun.onsetMs : undefined;
  if (visibleRun.active) tti = 0;
  const stale = view.latest(cluster, SIGNALS.dnsServedStaleRate);
  const cause = failing.active || visibleRun.active ? failureCause(view, cluster, config) : undefined;
  return {
    cause,
    status: {
      cluster,
      visibleErrorRatio: visible,
      missFailureRatio: missFailure,
      cacheHitRatio: hitRatio,
      projectedErrorRatio: Math.max(visible, failing.active ? missFailure : visible),
      timeToImpactSeconds: tti,
    },
    servedStaleRate: Number.isFinite(stale) ? stale : 0,
    masked,
    visibleOnsetMs,
  };
}

/** finite values only, for figures */
export function dnsFigures(a: DnsAssessment): Record<string, number> {
  const figures: Record<string, number> = {
    visibleErrorRatio: a.status.visibleErrorRatio,
    missFailureRatio: a.status.missFailureRatio,
    cacheHitRatio: a.status.cacheHitRatio,
    projectedErrorRatio: a.status.projectedErrorRatio,
    servedStaleRate: a.servedStaleRate,
  };
  if (a.masked) {
    figures.baselineCacheHitRatio = a.masked.baselineHitRatio;
    figures.cacheTtlSeconds = a.masked.tauSeconds;
    figures.cacheAgingExponent = a.masked.agingExponent;
    figures.cacheAgingMeasured = a.masked.agingMeasured ? 1 : 0;
  }
  if (a.status.timeToImpactSeconds !== null) figures.timeToImpactSeconds = a.status.timeToImpactSeconds;
  return Object.fromEntries(Object.entries(figures).filter(([, v]) => finiteValues([v]).length === 1));
}

/** the backend behind failing misses, from the per-plugin failure ratios */
function failureCause(view: SignalView, cluster: string, config: AnalysisConfig): DnsFailureCause {
  const kubernetes = view.latest(cluster, SIGNALS.dnsKubernetesFailureRatio);
  const upstream = view.latest(cluster, SIGNALS.dnsUpstreamFailureRatio);
  const threshold = config.dnsMissFailureThreshold;
  if (kubernetes >= threshold) return 'control_plane';
  if (upstream >= threshold) return 'upstream';
  return Number.isFinite(kubernetes) && Number.isFinite(upstream) ? 'coredns' : 'unknown';
}
