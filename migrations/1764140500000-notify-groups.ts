import type { MigrationInterface, QueryRunner } from 'typeorm';

// Notification groups (Alertmanager's aggregation groups, kept in PostgreSQL so a restart
// keeps them) and the outbox columns that group messages and Grafana annotations need.
export class NotifyGroups1764140500000 implements MigrationInterface {
  name = 'NotifyGroups1764140500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notify_groups" ("id" uuid NOT NULL, "route_key" character varying(16) NOT NULL, "group_key" character varying(64) NOT NULL, "labels" jsonb NOT NULL, "alerts" jsonb NOT NULL DEFAULT '{}', "active" integer NOT NULL DEFAULT 0, "version" integer NOT NULL DEFAULT 0, "pending_since" TIMESTAMP WITH TIME ZONE, "last_sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_notify_groups" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_notify_groups_route_group" ON "notify_groups" ("route_key", "group_key")`);
    await q.query(`ALTER TABLE "notify_outbox" ALTER COLUMN "alert" DROP NOT NULL`);
    await q.query(`ALTER TABLE "notify_outbox" ADD "payload" jsonb`);
    await q.query(`ALTER TABLE "notify_outbox" ADD "group_id" uuid`);
    await q.query(`ALTER TABLE "notify_outbox" ADD "message_id" uuid`);
    await q.query(`ALTER TABLE "notify_outbox" ADD "external_id" character varying(64)`);
    await q.query(`CREATE INDEX "IDX_notify_outbox_group" ON "notify_outbox" ("group_id", "status")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_notify_outbox_group"`);
    await q.query(`ALTER TABLE "notify_outbox" DROP COLUMN "external_id"`);
    await q.query(`ALTER TABLE "notify_outbox" DROP COLUMN "message_id"`);
    await q.query(`ALTER TABLE "notify_outbox" DROP COLUMN "group_id"`);
    await q.query(`ALTER TABLE "notify_outbox" DROP COLUMN "payload"`);
    await q.query(`DELETE FROM "notify_outbox" WHERE "alert" IS NULL`);
    await q.query(`ALTER TABLE "notify_outbox" ALTER COLUMN "alert" SET NOT NULL`);
    await q.query(`DROP INDEX "public"."UQ_notify_groups_route_group"`);
    await q.query(`DROP TABLE "notify_groups"`);
  }
}
