import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import type { AnalysisResult } from '../analysis/analysis.types.js';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { CHANNELS, ReplicaCoordinator } from './replica-coordinator.js';

export interface PublishedEvaluation {
  readonly evaluatedThroughMs: number;
  /** null until the leader published a result for a step */
  readonly result: AnalysisResult | null;
  readonly live: boolean;
  readonly leader: string;
  /** wall time the leader wrote it, ms, on this process's clock (its age is measured by the database) */
  readonly writtenAtMs: number;
}

interface StateRow {
  through_ms: number | string;
  result: AnalysisResult | null;
  mode: string;
  leader: string;
  age_ms: number | string;
}

/** another process evaluated this step or a later one: this one is no longer the leader */
export class LeadLostError extends Error {
  override readonly name = 'LeadLostError';
}

// The leader's newest evaluated step in table evaluation_state (one row). evaluated_through
// advances in the transaction of the step's alerts and only forwards, so a leader that lost
// its lock without noticing yet cannot write a step twice (its transaction rolls back).
@Injectable()
export class SharedEvaluation {
  private readonly seconds: Histogram<'op'>;
  private readonly resultBytes: Gauge;

  constructor(
    private readonly db: DataSource,
    private readonly replicas: ReplicaCoordinator,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.seconds = new Histogram({
      name: 'wavewatch_replica_evaluation_seconds',
      help: 'Time to store (op="publish", leader) or load (op="read", followers and a new leader) the newest evaluated result in evaluation_state.',
      labelNames: ['op'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.resultBytes = new Gauge({ name: 'wavewatch_replica_evaluation_result_bytes', help: 'Size of the newest published result as JSON text (leader).', registers: [registry] });
  }

  /** inside the step's transaction; throws LeadLostError when another leader is at or past it */
  async advance(manager: EntityManager, stepMs: number, live: boolean): Promise<void> {
    const rows = await manager.query<{ n: number }[]>(
      `WITH up AS (
         INSERT INTO "evaluation_state" ("id", "evaluated_through", "mode", "leader", "written_at") VALUES (1, $1, $2, $3, now())
         ON CONFLICT ("id") DO UPDATE SET "evaluated_through" = EXCLUDED."evaluated_through", "mode" = EXCLUDED."mode", "leader" = EXCLUDED."leader", "written_at" = now()
         WHERE "evaluation_state"."evaluated_through" < EXCLUDED."evaluated_through"
         RETURNING 1)
       SELECT count(*)::int AS n FROM up`,
      [new Date(stepMs).toISOString(), live ? 'live' : 'replay', this.replicas.id],
    );
    if (Number(rows[0]?.n ?? 0) === 0) throw new LeadLostError(`step ${new Date(stepMs).toISOString()} was already evaluated by another replica`);
  }

  /** the result of the newest step, for the followers' gate; then tells them */
  async publish(result: AnalysisResult): Promise<void> {
    const end = this.seconds.startTimer({ op: 'publish' });
    const json = JSON.stringify(result);
    this.resultBytes.set(json.length);
    await this.db.query(`UPDATE "evaluation_state" SET "result" = $1::jsonb, "written_at" = now() WHERE "id" = 1 AND "evaluated_through" = $2 AND "leader" = $3`, [
      json,
      new Date(result.evaluatedAt).toISOString(),
      this.replicas.id,
    ]);
    end();
    await this.replicas.notify(CHANNELS.evaluation, String(result.evaluatedAt));
  }

  async read(): Promise<PublishedEvaluation | null> {
    const end = this.seconds.startTimer({ op: 'read' });
    const rows = await this.db.query<StateRow[]>(
      `SELECT (extract(epoch from "evaluated_through") * 1000)::float8 AS "through_ms", "result", "mode", "leader", (extract(epoch from now() - "written_at") * 1000)::float8 AS "age_ms"
       FROM "evaluation_state" WHERE "id" = 1`,
    );
    end();
    const row = rows[0];
    if (!row) return null;
    // the age on the database's own clock, moved onto ours: a follower whose clock differs from
    // the database's must not see a dead leader's result as fresh (or a live one as stale)
    const writtenAtMs = Date.now() - Math.max(0, Number(row.age_ms));
    return { evaluatedThroughMs: Number(row.through_ms), result: row.result, live: row.mode === 'live', leader: row.leader, writtenAtMs };
  }
}
