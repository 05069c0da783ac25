import type { AlertView } from '../src/alerts/alert.types.js';
import type { ExpectedAlert, GroundTruth } from './ground-truth.js';

// Compares what wavewatch said (alerts, gate answers) with the ground truth against the
// targets of DESIGN §5. Pure, so tests and the demo reuse it.

export const MAX_LAG_INTERVALS = 2;

export interface GateAnswer {
  /** set when several rollouts run at once (their wave names may repeat) */
  readonly rolloutId?: string;
  readonly wave: string;
  /** HTTP status of GET /api/v1/rollouts/{id}/gate (200 proceed, 409 hold/rollback), 0 if unreachable */
  readonly status: number;
  readonly verdict: string | null;
}

/** When a community (mixin) alert would have fired, for comparison. */
export interface AnchorAlert {
  readonly name: string;
  readonly cluster: string;
  readonly firesAtMs: number;
}

export interface DetectionRow {
  readonly expected: ExpectedAlert;
  readonly alert: AlertView | null;
  /** (startsAt − onset) / interval; negative is early */
  readonly lagIntervals: number | null;
  /** seconds from the alert to client-visible impact (SERVFAIL ≥ 1 %), when there is one */
  readonly leadSeconds: number | null;
  readonly met: boolean;
  readonly anchors: readonly AnchorAlert[];
}

export interface GateRow {
  readonly rolloutId: string;
  readonly wave: string;
  readonly expected: 'proceed' | 'hold';
  readonly status: number | null;
  readonly verdict: string | null;
  readonly met: boolean;
}

export interface ScoreReport {
  readonly scenario: string;
  readonly detections: readonly DetectionRow[];
  readonly falseAlerts: readonly AlertView[];
  readonly allowedAlerts: readonly AlertView[];
  readonly gates: readonly GateRow[];
  readonly anchors: readonly AnchorAlert[];
  readonly misses: readonly string[];
  readonly passed: boolean;
}

// Attribution is part of the name for RolloutControlPlaneOverload; the DNS and telemetry
// alerts are right for the cluster whether or not they name the rollout.
const matches = (a: AlertView, e: ExpectedAlert): boolean =>
  a.name === e.name &&
  a.clusters.includes(e.cluster) &&
  (e.rolloutId === null || a.rolloutId === e.rolloutId || (a.rolloutId === null && a.name !== 'RolloutControlPlaneOverload'));

export function score(truth: GroundTruth, alerts: readonly AlertView[], answers: readonly GateAnswer[], anchors: readonly AnchorAlert[] = []): ScoreReport {
  const misses: string[] = [];
  const interval = truth.intervalMs;
  const used = new Set<AlertView>();
  const visibleAt = new Map(truth.clusters.map((c) => [c.cluster, c.servfailVisibleMs]));

  const detections = truth.required.map((expected): DetectionRow => {
    const candidates = alerts.filter((a) => matches(a, expected)).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    candidates.forEach((a) => used.add(a));
    const alert = candidates[0] ?? null;
    const mine = anchors.filter((x) => x.cluster === expected.cluster);
    const impact = visibleAt.get(expected.cluster) ?? null;
    if (!alert) {
      misses.push(`${expected.name} for ${expected.cluster} never fired`);
      return { expected, alert, lagIntervals: null, leadSeconds: null, met: false, anchors: mine };
    }
    const startsAt = Date.parse(alert.startsAt);
    const lagIntervals = (startsAt - expected.atMs) / interval;
    const leadSeconds = impact === null ? null : (impact - startsAt) / 1000;
    let met = lagIntervals <= MAX_LAG_INTERVALS;
    if (!met) misses.push(`${expected.name} for ${expected.cluster} came ${lagIntervals.toFixed(1)} intervals after onset (target ≤ ${MAX_LAG_INTERVALS})`);
    if (expected.beforeMs !== null && startsAt >= expected.beforeMs) {
      met = false;
      misses.push(`${expected.name} for ${expected.cluster} came after SERVFAIL was already visible`);
    }
    return { expected, alert, lagIntervals, leadSeconds, met, anchors: mine };
  });

  const allowedAlerts: AlertView[] = [];
  const falseAlerts: AlertView[] = [];
  for (const a of alerts) {
    if (used.has(a)) continue;
    if (truth.allowed.some((e) => matches(a, e) || (a.name === e.name && e.rolloutId === null && a.clusters.includes(e.cluster)))) allowedAlerts.push(a);
    else falseAlerts.push(a);
  }
  if (falseAlerts.length > 0) misses.push(`${falseAlerts.length} false alert(s): ${falseAlerts.map((a) => `${a.name}[${a.clusters.join(',')}]`).join(', ')}`);

  const gates = truth.waves.map((w): GateRow => {
    const answer = answers.find((g) => g.wave === w.wave && (g.rolloutId === undefined || g.rolloutId === w.rolloutId));
    const status = answer?.status ?? null;
    const met = w.expectedGate === 'proceed' ? status === 200 : status === 409;
    if (!met) misses.push(`gate before ${truth.rolloutIds.length > 1 ? `${w.rolloutId} ` : ''}${w.wave}: expected ${w.expectedGate}, got ${status === null ? 'no answer' : `${status} ${answer?.verdict ?? ''}`.trim()}`);
    return { rolloutId: w.rolloutId, wave: w.wave, expected: w.expectedGate, status, verdict: answer?.verdict ?? null, met };
  });

  return { scenario: truth.scenario, detections, falseAlerts, allowedAlerts, gates, anchors, misses, passed: misses.length === 0 };
}
