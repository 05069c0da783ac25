import type { MigrationInterface, QueryRunner } from 'typeorm';

// Replicas on one database (src/replicas): who wrote each signal point (the others load it),
// the leader's newest evaluated step for the followers' gate and for a take-over, and who
// claimed a notification for sending (a dead replica's claim is free at once).
// SQL as `npm run migration:generate` prints it.
export class Replicas1764150000000 implements MigrationInterface {
  name = 'Replicas1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "evaluation_state" ("id" integer NOT NULL, "evaluated_through" TIMESTAMP WITH TIME ZONE NOT NULL, "result" jsonb, "mode" character varying(8) NOT NULL, "leader" character varying(128) NOT NULL, "written_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_evaluation_state" PRIMARY KEY ("id"))`,
    );
    await q.query(`ALTER TABLE "signal_points" ADD "writer" character varying(128) NOT NULL DEFAULT ''`);
    await q.query(`CREATE INDEX "IDX_signal_points_written" ON "signal_points" ("written_at")`);
    await q.query(`ALTER TABLE "notify_outbox" ADD "claimed_by" character varying(128)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notify_outbox" DROP COLUMN "claimed_by"`);
    await q.query(`DROP INDEX "public"."IDX_signal_points_written"`);
    await q.query(`ALTER TABLE "signal_points" DROP COLUMN "writer"`);
    await q.query(`DROP TABLE "evaluation_state"`);
  }
}
