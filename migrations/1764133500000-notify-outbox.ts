import type { MigrationInterface, QueryRunner } from 'typeorm';

// Notification outbox and delivery attempts (src/notify/storage/). Raw SQL matching the
// entities; the outbox is written in the alert's transaction, the attempts by the senders.
export class NotifyOutbox1764133500000 implements MigrationInterface {
  name = 'NotifyOutbox1764133500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notify_outbox" ("id" uuid NOT NULL, "dedup_key" character varying(200) NOT NULL, "alert_id" character varying(64) NOT NULL, "fingerprint" character varying(32) NOT NULL, "kind" character varying(16) NOT NULL, "seq" integer NOT NULL DEFAULT 0, "route_key" character varying(16) NOT NULL, "channel" character varying(16) NOT NULL, "alert" jsonb NOT NULL, "event_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL, "not_before" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT 0, "lease_until" TIMESTAMP WITH TIME ZONE, "last_http_status" integer, "last_error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "queued_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_notify_outbox" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_notify_outbox_dedup_key" ON "notify_outbox" ("dedup_key")`);
    await q.query(`CREATE INDEX "IDX_notify_outbox_status" ON "notify_outbox" ("status", "not_before")`);
    await q.query(`CREATE INDEX "IDX_notify_outbox_alert" ON "notify_outbox" ("alert_id", "route_key", "created_at")`);
    await q.query(
      `CREATE TABLE "notify_attempts" ("id" uuid NOT NULL, "outbox_id" uuid NOT NULL, "attempt" integer NOT NULL, "outcome" character varying(16) NOT NULL, "http_status" integer, "error" character varying(500), "duration_ms" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_notify_attempts" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_notify_attempts_outbox" ON "notify_attempts" ("outbox_id", "attempt")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_notify_attempts_outbox"`);
    await q.query(`DROP TABLE "notify_attempts"`);
    await q.query(`DROP INDEX "public"."IDX_notify_outbox_alert"`);
    await q.query(`DROP INDEX "public"."IDX_notify_outbox_status"`);
    await q.query(`DROP INDEX "public"."UQ_notify_outbox_dedup_key"`);
    await q.query(`DROP TABLE "notify_outbox"`);
  }
}
