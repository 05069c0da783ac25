import type { GateReason, RolloutHealth } from '../analysis/analysis.types.js';

// The gate body of DESIGN §3: camelCase, RFC 3339 evaluatedAt, nothing else renamed.
export interface RolloutHealthView extends Omit<RolloutHealth, 'evaluatedAt' | 'reasons'> {
  evaluatedAt: string;
  reasons: GateReasonView[];
  /** newest sample behind the verdict (RFC 3339); null when none of the rollout's clusters reported */
  dataAsOf: string | null;
  /** added to gate answers by RolloutLinksInterceptor (src/web) */
  links?: { rolloutPage: string };
}

/** a reason; an attributed overload also says when its cluster's API server is projected to stop serving */
export interface GateReasonView extends Omit<GateReason, 'rollbackDeadlineMs'> {
  rollbackDeadline?: string;
}

function toReasonView({ rollbackDeadlineMs, ...r }: GateReason): GateReasonView {
  return rollbackDeadlineMs === undefined ? r : { ...r, rollbackDeadline: new Date(rollbackDeadlineMs).toISOString() };
}

export function toHealthView(h: RolloutHealth, dataAsOfMs: number | null = null): RolloutHealthView {
  return {
    ...h,
    evaluatedAt: new Date(h.evaluatedAt).toISOString(),
    reasons: h.reasons.map(toReasonView),
    dataAsOf: dataAsOfMs === null ? null : new Date(dataAsOfMs).toISOString(),
  };
}

/** Fail closed: no evaluation covers the rollout yet (no telemetry, or it started after the newest sample). */
export function noDataHealthView(rolloutId: string, evaluatedAtMs: number): RolloutHealthView {
  return {
    rolloutId,
    verdict: 'hold',
    evaluatedAt: new Date(evaluatedAtMs).toISOString(),
    reasons: [
      {
        code: 'no_data',
        severity: 'warning',
        wave: null,
        cluster: null,
        signal: null,
        observed: null,
        baseline: null,
        message: 'no telemetry has been evaluated for this rollout yet; holding until its clusters report',
      },
    ],
    nextWave: null,
    dns: [],
    dataAsOf: null,
  };
}
