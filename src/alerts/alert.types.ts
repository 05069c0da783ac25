// Alert contract (DESIGN §3) shared by the lifecycle, the API and the notification channels.

export const ALERT_NAMES = [
  'RolloutControlPlaneOverload',
  'ControlPlaneOverload',
  'DnsFailureMaskedByCache',
  'DnsErrorsVisible',
  'NextWaveCapacityRisk',
  'TelemetryLost',
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];
export type Severity = 'warning' | 'critical';
export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertAnnotations {
  summary: string;
  description: string;
  runbook_url: string;
  /** RolloutControlPlaneOverload: RFC 3339 time its API server is projected to stop accepting the rollback */
  rollback_deadline?: string;
}

/** An alert as the API returns it and as channels render it. Times are RFC 3339, event time. */
export interface AlertView {
  id: string;
  fingerprint: string;
  name: AlertName;
  severity: Severity;
  state: 'firing' | 'resolved';
  startsAt: string;
  endsAt: string | null;
  rolloutId: string | null;
  wave: string | null;
  clusters: string[];
  timeToImpactSeconds: number | null;
  labels: Record<string, string>;
  annotations: AlertAnnotations;
  /** key figures for messages: e.g. busySeats, capacitySeats, utilization, visibleErrorRatio, missFailureRatio, predictedUtilization */
  figures: Record<string, number>;
}

/** A state change that must be notified; written to the outbox in the alert's transaction. */
export interface AlertTransition {
  alert: AlertView;
  transition: 'firing' | 'resolved';
  /** event time of the transition, ms */
  atMs: number;
}
