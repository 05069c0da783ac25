// Inputs and outputs of the pure analysis. The alert lifecycle persists Findings, the gate
// serves RolloutHealth, derived metrics read ClusterStatus. Times are event-time ms.
import type { RolloutState } from '../rollouts/rollout.types.js';
import type { SignalReader } from '../signals/signal.types.js';
import type { AnalysisConfig } from './analysis-config.js';

// Same unions as src/alerts/alert.types.ts (the lint keeps src/analysis off ../alerts);
// test/analysis-contract.test.ts fails to compile if they drift apart.
export type AlertName =
  | 'RolloutControlPlaneOverload'
  | 'ControlPlaneOverload'
  | 'DnsFailureMaskedByCache'
  | 'DnsErrorsVisible'
  | 'NextWaveCapacityRisk'
  | 'TelemetryLost';
export type Severity = 'warning' | 'critical';

export interface AnalysisInput {
  readonly reader: SignalReader;
  readonly rollouts: readonly RolloutState[];
  readonly config: AnalysisConfig;
  /** the ingest watermark; defaults to reader.watermarkMs() */
  readonly nowMs?: number | undefined;
  /** wall clock in live operation, for telemetry loss of a fleet that went silent as a whole */
  readonly wallClockMs?: number | undefined;
}

/** One alert condition that is true at nowMs. */
export interface Finding {
  readonly alertName: AlertName;
  readonly severity: Severity;
  /** stable identity: name + rolloutId + cluster (or wave for NextWaveCapacityRisk) */
  readonly key: string;
  readonly rolloutId: string | null;
  readonly wave: string | null;
  readonly clusters: readonly string[];
  /** sample time at which the condition was first met (start of the current run) */
  readonly onsetMs: number;
  readonly timeToImpactSeconds: number | null;
  readonly figures: Readonly<Record<string, number>>;
  readonly summary: string;
  readonly description: string;
  /** DNS findings: which backend fails (control_plane, upstream, coredns, unknown), also an alert label */
  readonly cause?: string;
}

export type Verdict = 'proceed' | 'hold' | 'rollback';

export type GateReasonCode =
  | 'control_plane_overload'
  | 'dns_masked_failure'
  | 'next_wave_capacity'
  | 'telemetry_lost'
  | 'dns_errors_visible'
  | 'no_data'
  // added by the gate (not the analysis) when a deploy tool reported a cluster as failed
  | 'deploy_failed';

export interface GateReason {
  readonly code: GateReasonCode;
  readonly severity: Severity;
  readonly wave: string | null;
  readonly cluster: string | null;
  readonly signal: string | null;
  readonly observed: number | null;
  readonly baseline: number | null;
  readonly message: string;
  /** control_plane_overload of this rollout: when the cluster's API server is projected to stop serving (ms) */
  readonly rollbackDeadlineMs?: number;
}

export interface PowerLawFit {
  /** effect ≈ coefficient · nodes^exponent */
  readonly coefficient: number;
  readonly exponent: number;
  /** standard error of the exponent; null with only two points or an assumed exponent */
  readonly exponentStdError: number | null;
  readonly clustersUsed: readonly string[];
  /** true when the exponent was assumed (too little evidence to fit one) */
  readonly assumed: boolean;
}

export interface NextWavePrediction {
  readonly cluster: string;
  readonly signal: string;
  /** predicted busy seats once the wave reaches the cluster */
  readonly predicted: number;
  readonly capacity: number;
  readonly predictedUtilization: number;
  readonly nodes: number | null;
}

export interface NextWaveHealth {
  readonly wave: string;
  readonly verdict: Verdict;
  readonly predictions: readonly NextWavePrediction[];
  readonly fit: PowerLawFit | null;
}

export interface DnsStatus {
  readonly cluster: string;
  readonly visibleErrorRatio: number;
  readonly missFailureRatio: number;
  readonly cacheHitRatio: number;
  readonly projectedErrorRatio: number;
  readonly timeToImpactSeconds: number | null;
}

/** The gate body of DESIGN §3 minus transport (evaluatedAt in ms, formatted by HTTP). */
export interface RolloutHealth {
  readonly rolloutId: string;
  readonly verdict: Verdict;
  readonly evaluatedAt: number;
  readonly reasons: readonly GateReason[];
  readonly nextWave: NextWaveHealth | null;
  readonly dns: readonly DnsStatus[];
}

export interface ClusterStatus {
  readonly cluster: string;
  readonly nodes: number | null;
  readonly capacitySeats: number;
  readonly busySeats: number | null;
  readonly utilization: number | null;
  readonly lastSampleMs: number | null;
  readonly dns: DnsStatus | null;
}

/**
 * Clusters whose conditions could not be judged at this evaluation (no recent point of the
 * signals behind them): a dark cluster is unknown, not healthy, so its alerts must not clear.
 */
export interface Unobserved {
  /** API-server signals (busy seats, rejections, error ratio) have no recent point */
  readonly controlPlane: readonly string[];
  /** CoreDNS ratios have no recent point */
  readonly dns: readonly string[];
}

export interface AnalysisResult {
  readonly evaluatedAt: number;
  /** absent: everything was observable (results built by hand in tests) */
  readonly unobserved?: Unobserved;
  /** sorted by key */
  readonly findings: readonly Finding[];
  /** in input order */
  readonly rollouts: readonly RolloutHealth[];
  /** sorted by cluster name */
  readonly clusters: readonly ClusterStatus[];
}
