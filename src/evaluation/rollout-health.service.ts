import { Injectable } from '@nestjs/common';
import type { AnalysisResult, RolloutHealth } from '../analysis/analysis.types.js';
import { findingFingerprint } from '../alerts/alert-record.mapper.js';
import { AlertsService } from '../alerts/alerts.service.js';
import type { RolloutState } from '../rollouts/rollout.types.js';
import { AnalysisEngine } from './analysis-engine.js';
import { EvaluationLoop } from './evaluation-loop.js';
import { failClosed, withoutLeader, withStoredAlerts } from './gate-health.js';

export interface GateHealth {
  readonly health: RolloutHealth;
  /** newest sample behind the verdict (of the rollout's clusters), ms */
  readonly dataAsOfMs: number | null;
}

interface PerResult {
  readonly derived: ReadonlySet<string>;
  readonly lastSample: ReadonlyMap<string, number>;
  /** rollouts evaluated on their own against this result's step, by rollout id + update time */
  readonly side: Map<string, RolloutHealth>;
}

const MAX_SIDE_EVALUATIONS = 1000;

// The gate's answer comes from the evaluation loop's result for the newest step, not from a
// fleet-wide evaluation per request. A rollout that step did not include (announced after the
// newest sample, or ended and out of the hot set) is evaluated on its own, once per step.
@Injectable()
export class RolloutHealthService {
  private readonly perResult = new WeakMap<AnalysisResult, PerResult>();

  constructor(
    private readonly loop: EvaluationLoop,
    private readonly engine: AnalysisEngine,
    private readonly alerts: AlertsService,
  ) {}

  /** null before anything was evaluated */
  of(rollout: RolloutState): GateHealth | null {
    const result = this.loop.latest();
    if (!result) return null;
    const memo = this.memo(result);
    let health = result.rollouts.find((r) => r.rolloutId === rollout.rolloutId);
    if (!health) {
      const key = `${rollout.rolloutId}\u0000${rollout.updatedAtMs}`;
      health = memo.side.get(key);
      if (!health) {
        const own = this.engine.evaluateOne(result.evaluatedAt, rollout);
        health = own.rollouts[0]!;
        if (memo.side.size >= MAX_SIDE_EVALUATIONS) memo.side.clear();
        memo.side.set(key, health);
      }
    }
    let dataAsOfMs: number | null = null;
    for (const w of rollout.waves) {
      for (const c of w.clusters) {
        const t = memo.lastSample.get(c);
        if (t !== undefined && (dataAsOfMs === null || t > dataAsOfMs)) dataAsOfMs = t;
      }
    }
    health = withStoredAlerts(health, this.alerts.openAlerts(), memo.derived);
    const lostAfterMs = this.engine.config.telemetryLostAfterSeconds * 1000;
    health = failClosed(health, { wallMs: this.engine.clock.isLive() ? Date.now() : undefined, dataAsOfMs, lostAfterMs });
    const follower = this.loop.follower();
    if (follower) {
      const p = follower.published;
      health = withoutLeader(health, { wallMs: Date.now(), publishedAtMs: p?.writtenAtMs ?? null, live: p?.live ?? true, lostAfterMs });
    }
    return { health, dataAsOfMs };
  }

  private memo(result: AnalysisResult): PerResult {
    let m = this.perResult.get(result);
    if (!m) {
      const lastSample = new Map<string, number>();
      for (const c of result.clusters) if (c.lastSampleMs !== null) lastSample.set(c.cluster, c.lastSampleMs);
      m = { derived: new Set(result.findings.map(findingFingerprint)), lastSample, side: new Map() };
      this.perResult.set(result, m);
    }
    return m;
  }
}
