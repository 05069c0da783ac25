import type { GateReason, Verdict } from '../analysis/analysis.types.js';
import type { RolloutState } from '../rollouts/rollout.types.js';

// How the gate routes turn a verdict into an HTTP status (DESIGN §3). Plain /gate: 200 only
// on proceed, 409 otherwise. ?wait=true: a hold is "not yet" (503 + Retry-After, so curl
// --retry and pollers come back), a rollback is final (409).
export interface GateStatus {
  readonly status: 200 | 409 | 503;
  readonly retryAfterSeconds: number | null;
}

export function gateStatus(verdict: Verdict, wait: boolean, retryAfterSeconds: number): GateStatus {
  if (verdict === 'proceed') return { status: 200, retryAfterSeconds: null };
  if (wait && verdict === 'hold') return { status: 503, retryAfterSeconds };
  return { status: 409, retryAfterSeconds: null };
}

export function isWait(value: unknown): boolean {
  return value === 'true' || value === '1' || value === '';
}

interface GateBody {
  readonly verdict: Verdict;
  readonly reasons: readonly GateReason[];
}

// A cluster the deploy tool reported failed in an active rollout holds the gate: the next
// wave must not go while part of this one is broken. No analysis code says "the deploy
// itself failed", hence deploy_failed (critical).
export function withDeployFailures<T extends GateBody>(view: T, rollout: RolloutState): T {
  if (rollout.status !== 'in_progress') return view;
  const reasons: GateReason[] = [];
  for (const w of rollout.waves) {
    // a wave the tool explicitly completed despite the failure was accepted by its operator
    if (w.status !== 'in_progress') continue;
    for (const [cluster, status] of Object.entries(w.clusterStatus ?? {})) {
      if (status !== 'failed') continue;
      reasons.push({
        code: 'deploy_failed',
        severity: 'critical',
        wave: w.wave,
        cluster,
        signal: null,
        observed: null,
        baseline: null,
        message: `the deploy tool reported ${cluster} (${w.wave}) as failed; holding until it is redeployed or the wave is completed`,
      });
    }
  }
  if (reasons.length === 0) return view;
  return { ...view, verdict: view.verdict === 'proceed' ? 'hold' : view.verdict, reasons: [...view.reasons, ...reasons] };
}
