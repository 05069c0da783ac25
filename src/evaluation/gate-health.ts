import type { GateReason, GateReasonCode, RolloutHealth, Verdict } from '../analysis/analysis.types.js';
import type { AlertRecord } from '../alerts/alert-lifecycle.js';
import type { AlertName } from '../alerts/alert.types.js';

// What the gate adds to the analysis' verdict for one rollout: stored alerts that still ask
// for rollback, and a hold when the data (or the evaluation) behind the verdict is stale by
// the wall clock. Pure: the service passes the clock in.

const RANK: Record<Verdict, number> = { proceed: 0, hold: 1, rollback: 2 };

/** alerts whose firing means the rollout must be rolled back */
const ROLLBACK_CODES: Partial<Record<AlertName, GateReasonCode>> = {
  RolloutControlPlaneOverload: 'control_plane_overload',
  DnsFailureMaskedByCache: 'dns_masked_failure',
  DnsErrorsVisible: 'dns_errors_visible',
};

function withReasons(h: RolloutHealth, extra: readonly { action: Verdict; reason: GateReason }[]): RolloutHealth {
  if (extra.length === 0) return h;
  let verdict = h.verdict;
  for (const e of extra) if (RANK[e.action] > RANK[verdict]) verdict = e.action;
  const rollback = extra.filter((e) => e.action === 'rollback').map((e) => e.reason);
  const rest = extra.filter((e) => e.action !== 'rollback').map((e) => e.reason);
  return { ...h, verdict, reasons: [...rollback, ...h.reasons, ...rest] };
}

/**
 * Firing alerts of this rollout that imply rollback stay reasons until the analysis derives
 * them again: after a restart, or while their cluster is dark and the alert is held open.
 */
export function withStoredAlerts(h: RolloutHealth, open: readonly AlertRecord[], derived: ReadonlySet<string>): RolloutHealth {
  const extra = open
    .filter((a) => a.state === 'firing' && a.rolloutId === h.rolloutId && ROLLBACK_CODES[a.name] && !derived.has(a.fingerprint))
    .map((a) => ({
      action: 'rollback' as const,
      reason: {
        code: ROLLBACK_CODES[a.name]!,
        severity: a.severity,
        wave: a.wave,
        cluster: a.clusters[0] ?? null,
        signal: null,
        observed: null,
        baseline: null,
        message: `${a.name} on ${a.clusters.join(', ')} firing since ${new Date(a.startsAtMs).toISOString()} has not been seen to clear; failing closed`,
      },
    }));
  return withReasons(h, extra);
}

export interface Staleness {
  /** wall clock now, ms; undefined when replaying history (no wall-clock judgement) */
  readonly wallMs: number | undefined;
  readonly dataAsOfMs: number | null;
  readonly lostAfterMs: number;
}

/** live only: a verdict resting on data or an evaluation older than the loss threshold holds */
export function failClosed(h: RolloutHealth, s: Staleness): RolloutHealth {
  if (s.wallMs === undefined) return h;
  const extra: { action: Verdict; reason: GateReason }[] = [];
  const reason = (code: GateReasonCode, observed: number, message: string): GateReason => ({
    code, severity: 'critical', wave: null, cluster: null, signal: null, observed: Math.round(observed / 1000), baseline: s.lostAfterMs / 1000, message,
  });
  if (s.dataAsOfMs !== null && s.wallMs - s.dataAsOfMs > s.lostAfterMs && !h.reasons.some((r) => r.code === 'telemetry_lost')) {
    extra.push({ action: 'hold', reason: reason('telemetry_lost', s.wallMs - s.dataAsOfMs, `newest sample of this rollout's clusters is ${Math.round((s.wallMs - s.dataAsOfMs) / 1000)} s old; failing closed`) });
  }
  if (s.wallMs - h.evaluatedAt > s.lostAfterMs + 60_000) {
    extra.push({ action: 'hold', reason: reason('no_data', s.wallMs - h.evaluatedAt, `the newest evaluation is ${Math.round((s.wallMs - h.evaluatedAt) / 1000)} s old; failing closed`) });
  }
  return withReasons(h, extra);
}

export interface Leadership {
  /** wall clock now, ms */
  readonly wallMs: number;
  /** wall time the leader published its newest step (null: never) */
  readonly publishedAtMs: number | null;
  /** the leader evaluates live data (a replay's result does not age) */
  readonly live: boolean;
  readonly lostAfterMs: number;
}

/**
 * A follower's answer rests on the leader's newest published step: when no leader has
 * published for the loss threshold (it died and nobody has taken over yet), hold.
 */
export function withoutLeader(h: RolloutHealth, l: Leadership): RolloutHealth {
  const age = l.publishedAtMs === null ? null : l.wallMs - l.publishedAtMs;
  if (age !== null && (!l.live || age <= l.lostAfterMs)) return h;
  const message = age === null ? 'no leader has published an evaluation yet; failing closed' : `no leader has published an evaluation for ${Math.round(age / 1000)} s; failing closed`;
  return withReasons(h, [
    {
      action: 'hold',
      reason: { code: 'no_data', severity: 'critical', wave: null, cluster: null, signal: null, observed: age === null ? null : Math.round(age / 1000), baseline: l.lostAfterMs / 1000, message },
    },
  ]);
}
