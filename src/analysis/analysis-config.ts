import type { AppConfig } from '../config/config.schema.js';

// Thresholds of the analysis. A plain object so the pure core never sees AppConfig; the
// integrator builds it once with analysisConfigFrom(appConfig).

export interface ClusterAnalysisOverride {
  readonly nodes?: number | undefined;
  readonly capacitySeats?: number | undefined;
  readonly cacheTtlSeconds?: number | undefined;
}

export interface AnalysisConfig {
  /** predicted utilisation above this holds the next wave */
  readonly headroom: number;
  /** seat capacity when neither the cluster's metrics nor config give one */
  readonly defaultCapacitySeats: number;
  /** DNS cache lifetime τ used to project the visible error ratio */
  readonly cacheTtlSeconds: number;
  /** visible SERVFAIL ratio that counts as user impact */
  readonly dnsVisibleThreshold: number;
  /** miss-failure ratio that counts as a failing upstream behind the cache */
  readonly dnsMissFailureThreshold: number;
  /** failing cache misses per second below which a miss-failure ratio is noise */
  readonly dnsMinFailingMissRate: number;
  /** a wave cluster silent this long (against the watermark or the wall clock) is lost */
  readonly telemetryLostAfterSeconds: number;
  /** utilisation (busy ÷ capacity seats) that counts as overload */
  readonly overloadUtilization: number;
  /** APF rejections per second that count as overload */
  readonly rejectedRateThreshold: number;
  /** 429/5xx share of API requests that counts as overload */
  readonly apiErrorRatioThreshold: number;
  /** points in a row a condition needs unless it is far past its threshold */
  readonly confirmPoints: number;
  /** pre-wave window for each wave cluster's own baseline */
  readonly baselineSeconds: number;
  /** recent points whose median is a cluster's current level */
  readonly levelPoints: number;
  /** robust z-score an effect needs over baseline and control noise */
  readonly effectZ: number;
  /** an effect must also be at least this share of the baseline */
  readonly minRelativeEffect: number;
  /** at most this many control clusters are sampled per wave (deterministic stride) */
  readonly maxControls: number;
  /** a fleet-wide harm shows in at least this share of controls; then it is not the wave's */
  readonly controlHarmShare: number;
  /** the fit needs max/min node count of at least this */
  readonly minNodeSpreadRatio: number;
  /** exponent assumed when there is too little evidence to fit one (the incident's nodes²) */
  readonly assumedExponent: number;
  /** before a wave ran this long its effect is not measurable: the next wave holds */
  readonly minWaveAgeSeconds: number;
  /** ended rollouts still own effects this long after their end */
  readonly rolloutGraceSeconds: number;
  /** how far back an onset is searched */
  readonly onsetLookbackSeconds: number;
  /** hysteresis: an open condition clears below this share of its threshold ... */
  readonly clearRatio: number;
  /** ... for this many known points in a row ... */
  readonly clearPoints: number;
  /** ... or after this many known points in a row under the threshold (sustained recovery) */
  readonly recoveryPoints: number;
  /** rollback deadline: a saturated control plane stops serving after this long (the simulator's collapse model) */
  readonly collapseAfterSeconds: number;
  /** ... or once the 429/5xx share reaches this, if its trend gets there first */
  readonly collapseErrorRatio: number;
  readonly clusters: Readonly<Record<string, ClusterAnalysisOverride>>;
}

export const DEFAULT_ANALYSIS_CONFIG: AnalysisConfig = {
  headroom: 0.8,
  defaultCapacitySeats: 600,
  cacheTtlSeconds: 1200,
  dnsVisibleThreshold: 0.01,
  dnsMissFailureThreshold: 0.02,
  dnsMinFailingMissRate: 0.5,
  telemetryLostAfterSeconds: 90,
  overloadUtilization: 0.9,
  rejectedRateThreshold: 1,
  apiErrorRatioThreshold: 0.05,
  confirmPoints: 2,
  baselineSeconds: 600,
  levelPoints: 2,
  effectZ: 4,
  minRelativeEffect: 0.1,
  maxControls: 200,
  controlHarmShare: 0.2,
  minNodeSpreadRatio: 1.5,
  assumedExponent: 2,
  minWaveAgeSeconds: 60,
  rolloutGraceSeconds: 3600,
  onsetLookbackSeconds: 3600,
  clearRatio: 0.9,
  clearPoints: 2,
  recoveryPoints: 20,
  collapseAfterSeconds: 300,
  collapseErrorRatio: 0.5,
  clusters: {},
};

export function analysisConfig(overrides: Partial<AnalysisConfig> = {}): AnalysisConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_ANALYSIS_CONFIG, ...defined };
}

/** the analysis keys of the validated app config over the defaults */
export function analysisConfigFrom(app: Pick<AppConfig, 'analysis' | 'clusters'>): AnalysisConfig {
  const a = app.analysis;
  return analysisConfig({
    headroom: a.headroom,
    defaultCapacitySeats: a.defaultCapacitySeats,
    cacheTtlSeconds: a.cacheTtlSeconds,
    dnsVisibleThreshold: a.dnsVisibleThreshold,
    telemetryLostAfterSeconds: a.telemetryLostAfterSeconds,
    collapseAfterSeconds: a.collapseAfterSeconds,
    clusters: app.clusters,
  });
}
