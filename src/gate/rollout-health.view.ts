import type { RolloutHealth } from '../analysis/analysis.types.js';

// The gate body of DESIGN §3: camelCase, RFC 3339 evaluatedAt, nothing else renamed.
export interface RolloutHealthView extends Omit<RolloutHealth, 'evaluatedAt'> {
  evaluatedAt: string;
  /** newest sample behind the verdict (RFC 3339); null when none of the rollout's clusters reported */
  dataAsOf: string | null;
}

export function toHealthView(h: RolloutHealth, dataAsOfMs: number | null = null): RolloutHealthView {
  return { ...h, evaluatedAt: new Date(h.evaluatedAt).toISOString(), dataAsOf: dataAsOfMs === null ? null : new Date(dataAsOfMs).toISOString() };
}
