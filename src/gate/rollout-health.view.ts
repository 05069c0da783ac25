import type { GateReason, RolloutHealth } from '../analysis/analysis.types.js';

// The gate body of DESIGN §3: camelCase, RFC 3339 evaluatedAt, nothing else renamed.
export interface RolloutHealthView extends Omit<RolloutHealth, 'evaluatedAt' | 'reasons'> {
  evaluatedAt: string;
  reasons: GateReasonView[];
}

/** a reason; an attributed overload also says when its cluster's API server is projected to stop serving */
export interface GateReasonView extends Omit<GateReason, 'rollbackDeadlineMs'> {
  rollbackDeadline?: string;
}

function toReasonView({ rollbackDeadlineMs, ...r }: GateReason): GateReasonView {
  return rollbackDeadlineMs === undefined ? r : { ...r, rollbackDeadline: new Date(rollbackDeadlineMs).toISOString() };
}

export function toHealthView(h: RolloutHealth): RolloutHealthView {
  return { ...h, evaluatedAt: new Date(h.evaluatedAt).toISOString(), reasons: h.reasons.map(toReasonView) };
}
