import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AlertView } from '../../alerts/alert.types.js';
import type { AttemptOutcome } from './notification-attempt.entity.js';
import type { OutboxKind, OutboxStatus } from './notification-outbox.entity.js';

export interface NewOutboxRow {
  id: string;
  dedupKey: string;
  alert: AlertView;
  kind: OutboxKind;
  routeKey: string;
  channel: string;
  eventAt: Date;
  status: OutboxStatus;
  notBefore: Date;
}

export interface OutboxRow {
  id: string;
  dedupKey: string;
  alertId: string;
  kind: OutboxKind;
  seq: number;
  routeKey: string;
  channel: string;
  alert: AlertView;
  status: OutboxStatus;
  notBefore: Date;
  attempts: number;
  createdAt: Date;
}

export interface AttemptRecord {
  outcome: AttemptOutcome;
  status: OutboxStatus;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

type Raw = Record<string, unknown>;

const toRow = (r: Raw): OutboxRow => ({
  id: r.id as string,
  dedupKey: r.dedup_key as string,
  alertId: r.alert_id as string,
  kind: r.kind as OutboxKind,
  seq: Number(r.seq),
  routeKey: r.route_key as string,
  channel: r.channel as string,
  alert: (typeof r.alert === 'string' ? JSON.parse(r.alert) : r.alert) as AlertView,
  status: r.status as OutboxStatus,
  notBefore: new Date(r.not_before as string | Date),
  attempts: Number(r.attempts),
  createdAt: new Date(r.created_at as string | Date),
});

// TypeORM answers UPDATE/DELETE ... RETURNING as [rows, rowCount] and INSERT/SELECT as rows.
function returned(result: unknown): Raw[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as Raw[];
  return Array.isArray(result) ? (result as Raw[]) : [];
}

export const OPEN_STATUSES: readonly OutboxStatus[] = ['pending', 'queued', 'sending'];

// Every statement here is a single SQL statement, atomic on its own: the relay and the senders
// never hold a transaction open across a network call.
@Injectable()
export class NotifyStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside the caller's transaction; a transition written twice is kept once. */
  async insert(manager: EntityManager, rows: readonly NewOutboxRow[]): Promise<number> {
    let inserted = 0;
    for (const r of rows) {
      const result: unknown = await manager.query(
        `INSERT INTO notify_outbox (id, dedup_key, alert_id, fingerprint, kind, seq, route_key, channel, alert, event_at, status, not_before)
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8::jsonb, $9, $10, $11)
         ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
        [
          r.id,
          r.dedupKey,
          r.alert.id,
          r.alert.fingerprint,
          r.kind,
          r.routeKey,
          r.channel,
          JSON.stringify(r.alert),
          r.eventAt,
          r.status,
          r.notBefore,
        ],
      );
      inserted += returned(result).length;
    }
    return inserted;
  }

  async load(id: string): Promise<OutboxRow | null> {
    const rows: Raw[] = await this.db.query(`SELECT * FROM notify_outbox WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Rows to hand to the queue: new ones, ones queued long ago (the queue may have lost them), expired leases. */
  async dueForQueue(staleSeconds: number, limit: number): Promise<OutboxRow[]> {
    const rows: Raw[] = await this.db.query(
      `SELECT * FROM notify_outbox
       WHERE status = 'pending'
          OR (status = 'queued' AND queued_at < now() - make_interval(secs => $1))
          OR (status = 'sending' AND lease_until < now())
       ORDER BY created_at LIMIT $2`,
      [staleSeconds, limit],
    );
    return rows.map(toRow);
  }

  async markQueued(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE notify_outbox SET status = CASE WHEN status = 'pending' THEN 'queued' ELSE status END, queued_at = now()
       WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'queued', 'sending')`,
      [ids],
    );
  }

  /** A firing or reminder row is moot once the episode's resolve message is on its way. */
  async resolvedSince(row: OutboxRow): Promise<boolean> {
    const rows: Raw[] = await this.db.query(
      `SELECT 1 FROM notify_outbox WHERE alert_id = $1 AND route_key = $2 AND kind = 'resolved' AND status <> 'muted' LIMIT 1`,
      [row.alertId, row.routeKey],
    );
    return rows.length > 0;
  }

  /** true while the firing notification of the same alert and route is still to be sent */
  async firingPending(row: OutboxRow): Promise<boolean> {
    const rows: Raw[] = await this.db.query(
      `SELECT 1 FROM notify_outbox WHERE alert_id = $1 AND route_key = $2 AND kind = 'firing' AND status IN ('pending', 'queued', 'sending') LIMIT 1`,
      [row.alertId, row.routeKey],
    );
    return rows.length > 0;
  }

  /** Takes the row for one send; returns the attempt number, or null when it is not ours to send. */
  async claim(id: string, leaseMs: number): Promise<number | null> {
    const rows = returned(
      await this.db.query(
        `UPDATE notify_outbox SET status = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
       WHERE id = $1 AND (status IN ('pending', 'queued') OR (status = 'sending' AND lease_until < now()))
       RETURNING attempts`,
        [id, leaseMs / 1000],
      ),
    );
    return rows[0] ? Number(rows[0].attempts) : null;
  }

  /** Records an attempt and the row's new state in one statement. */
  async recordAttempt(id: string, attempt: number, a: AttemptRecord): Promise<void> {
    await this.db.query(
      `WITH u AS (
         UPDATE notify_outbox SET status = $3::varchar, lease_until = NULL, last_http_status = $4::int, last_error = $5::varchar,
           delivered_at = CASE WHEN $3::varchar = 'delivered' THEN now() ELSE delivered_at END,
           queued_at = CASE WHEN $3::varchar = 'queued' THEN now() ELSE queued_at END
         WHERE id = $1::uuid RETURNING id)
       INSERT INTO notify_attempts (id, outbox_id, attempt, outcome, http_status, error, duration_ms)
       SELECT gen_random_uuid(), u.id, $2::int, $6::varchar, $4::int, $5::varchar, $7::int FROM u`,
      [id, attempt, a.status, a.httpStatus, a.error, a.outcome, Math.round(a.durationMs)],
    );
  }

  /** Ends a row without sending (superseded, route removed); only if nobody is sending it. */
  async close(id: string, status: OutboxStatus, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE notify_outbox SET status = $2, last_error = $3, lease_until = NULL
       WHERE id = $1 AND status IN ('pending', 'queued')`,
      [id, status, error],
    );
  }

  /**
   * Writes the next reminder for every episode of a route whose newest row is a delivered
   * firing or reminder older than the interval. The dedup key makes concurrent relays harmless.
   */
  async insertRepeats(routeKey: string, intervalSeconds: number, limit: number): Promise<number> {
    const result: unknown = await this.db.query(
      `INSERT INTO notify_outbox (id, dedup_key, alert_id, fingerprint, kind, seq, route_key, channel, alert, event_at, status, not_before)
       SELECT gen_random_uuid(), o.alert_id || '.repeat' || (o.seq + 1) || '.' || o.route_key, o.alert_id, o.fingerprint, 'repeat',
              o.seq + 1, o.route_key, o.channel, o.alert, o.event_at, 'pending', now()
       FROM notify_outbox o
       WHERE o.route_key = $1 AND o.kind IN ('firing', 'repeat') AND o.status = 'delivered'
         AND o.delivered_at < now() - make_interval(secs => $2)
         AND NOT EXISTS (SELECT 1 FROM notify_outbox n WHERE n.alert_id = o.alert_id AND n.route_key = o.route_key AND n.created_at > o.created_at)
         AND NOT EXISTS (SELECT 1 FROM notify_outbox r WHERE r.alert_id = o.alert_id AND r.route_key = o.route_key AND r.kind = 'resolved')
       LIMIT $3
       ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
      [routeKey, intervalSeconds, limit],
    );
    return returned(result).length;
  }

  async openCount(): Promise<number> {
    const rows: Raw[] = await this.db.query(
      `SELECT count(*)::int AS n FROM notify_outbox WHERE status IN ('pending', 'queued', 'sending')`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async purge(retentionHours: number): Promise<void> {
    await this.db.query(
      `WITH gone AS (
         DELETE FROM notify_outbox WHERE status NOT IN ('pending', 'queued', 'sending') AND created_at < now() - make_interval(hours => $1)
         RETURNING id)
       DELETE FROM notify_attempts WHERE outbox_id IN (SELECT id FROM gone)`,
      [Math.floor(retentionHours)],
    );
  }

  async list(
    alertId: string | undefined,
    limit: number,
  ): Promise<Array<{ row: Raw; attempts: Raw[] }>> {
    const rows: Raw[] = alertId
      ? await this.db.query(
          `SELECT * FROM notify_outbox WHERE alert_id = $1 ORDER BY created_at, route_key LIMIT $2`,
          [alertId, limit],
        )
      : await this.db.query(`SELECT * FROM notify_outbox ORDER BY created_at DESC LIMIT $1`, [
          limit,
        ]);
    if (rows.length === 0) return [];
    const attempts: Raw[] = await this.db.query(
      `SELECT * FROM notify_attempts WHERE outbox_id = ANY($1::uuid[]) ORDER BY attempt`,
      [rows.map((r) => r.id as string)],
    );
    return rows.map((row) => ({ row, attempts: attempts.filter((a) => a.outbox_id === row.id) }));
  }
}
