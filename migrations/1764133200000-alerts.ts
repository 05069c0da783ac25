import type { MigrationInterface, QueryRunner } from 'typeorm';

// Alert episodes (src/alerts/alert.entity.ts). SQL as TypeORM's schema builder generates it,
// reviewed by hand; the drift test fails if entity and migration disagree.
export class Alerts1764133200000 implements MigrationInterface {
  name = 'Alerts1764133200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "alerts" ("id" uuid NOT NULL, "fingerprint" character varying(32) NOT NULL, "name" character varying(64) NOT NULL, "severity" character varying(16) NOT NULL, "state" character varying(16) NOT NULL, "rollout_id" character varying(256), "wave" character varying(256), "clusters" jsonb NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "held_steps" integer NOT NULL, "clear_steps" integer NOT NULL, "time_to_impact_seconds" double precision, "labels" jsonb NOT NULL, "annotations" jsonb NOT NULL, "figures" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_alerts_state_starts" ON "alerts" ("state", "starts_at")`);
    await q.query(`CREATE INDEX "IDX_alerts_rollout" ON "alerts" ("rollout_id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_alerts_open_fingerprint" ON "alerts" ("fingerprint") WHERE "state" <> 'resolved'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."UQ_alerts_open_fingerprint"`);
    await q.query(`DROP INDEX "public"."IDX_alerts_rollout"`);
    await q.query(`DROP INDEX "public"."IDX_alerts_state_starts"`);
    await q.query(`DROP TABLE "alerts"`);
  }
}
