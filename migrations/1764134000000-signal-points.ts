import type { MigrationInterface, QueryRunner } from 'typeorm';

// Final signal points (src/signals/history/signal-point.entity.ts): one row per cluster and
// step, pruned to the signal window. SQL as `npm run migration:generate` prints it.
export class SignalPoints1764134000000 implements MigrationInterface {
  name = 'SignalPoints1764134000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "signal_points" ("cluster" character varying(256) NOT NULL, "step_at" TIMESTAMP WITH TIME ZONE NOT NULL, "signal_values" jsonb NOT NULL, "written_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_signal_points" PRIMARY KEY ("cluster", "step_at"))`,
    );
    await q.query(`CREATE INDEX "IDX_signal_points_step" ON "signal_points" ("step_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_signal_points_step"`);
    await q.query(`DROP TABLE "signal_points"`);
  }
}
