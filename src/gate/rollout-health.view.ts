import type { RolloutHealth } from '../analysis/analysis.types.js';

// The gate body of DESIGN §3: camelCase, RFC 3339 evaluatedAt, nothing else renamed.
export interface RolloutHealthView extends Omit<RolloutHealth, 'evaluatedAt'> {
  evaluatedAt: string;
}

export function toHealthView(h: RolloutHealth): RolloutHealthView {
  return { ...h, evaluatedAt: new Date(h.evaluatedAt).toISOString() };
}
