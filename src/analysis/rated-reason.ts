// A gate reason with the verdict it asks for; the verdict is the strongest ask
// (rollback > hold > proceed). Only the reason itself goes out.
import type { GateReason, Verdict } from './analysis.types.js';

export interface RatedReason {
  readonly reason: GateReason;
  readonly action: Verdict;
}

const RANK: Record<Verdict, number> = { proceed: 0, hold: 1, rollback: 2 };

export function strongestVerdict(reasons: readonly RatedReason[]): Verdict {
  let verdict: Verdict = 'proceed';
  for (const r of reasons) if (RANK[r.action] > RANK[verdict]) verdict = r.action;
  return verdict;
}

/** rollback first, then hold, then the rest; stable by wave, cluster, code within */
export function sortReasons(reasons: readonly RatedReason[]): RatedReason[] {
  const text = (v: string | null): string => v ?? '';
  return [...reasons].sort(
    (a, b) =>
      RANK[b.action] - RANK[a.action] ||
      a.reason.code.localeCompare(b.reason.code) ||
      text(a.reason.wave).localeCompare(text(b.reason.wave)) ||
      text(a.reason.cluster).localeCompare(text(b.reason.cluster)) ||
      text(a.reason.signal).localeCompare(text(b.reason.signal)),
  );
}

export function reason(
  action: Verdict,
  fields: Partial<GateReason> & Pick<GateReason, 'code' | 'severity' | 'message'>,
): RatedReason {
  return {
    action,
    reason: { wave: null, cluster: null, signal: null, observed: null, baseline: null, ...fields },
  };
}
