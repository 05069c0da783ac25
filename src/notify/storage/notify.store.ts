import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AlertView } from '../../alerts/alert.types.js';
import { ReplicaCoordinator } from '../../replicas/replica-coordinator.js';
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
  groupId?: string | null;
}

export interface NewAnnotationRow {
  dedupKey: string;
  /** alert id, or a hash naming the rollout: stored as alert_id (≤ 64 chars) */
  subject: string;
  routeKey: string;
  alert: AlertView | null;
  payload: unknown;
  eventAt: Date;
}

export interface OutboxRow {
  id: string;
  dedupKey: string;
  alertId: string;
  kind: OutboxKind;
  seq: number;
  routeKey: string;
  channel: string;
  /** null on group messages and annotations (see payload) */
  alert: AlertView | null;
  payload: unknown;
  groupId: string | null;
  status: OutboxStatus;
  notBefore: Date;
  attempts: number;
  createdAt: Date;
  externalId: string | null;
}

export interface AttemptRecord {
  outcome: AttemptOutcome;
  status: OutboxStatus;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** the receiver's id of what it created (a Grafana annotation id) */
  externalId?: string | null;
}

type Raw = Record<string, unknown>;

const parsed = <T>(v: unknown): T | null => (v === null || v === undefined ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as T));

const toRow = (r: Raw): OutboxRow => ({
  id: r.id as string,
  dedupKey: r.dedup_key as string,
  alertId: r.alert_id as string,
  kind: r.kind as OutboxKind,
  seq: Number(r.seq),
  routeKey: r.route_key as string,
  channel: r.channel as string,
  alert: parsed<AlertView>(r.alert),
  payload: parsed<unknown>(r.payload),
  groupId: (r.group_id as string | null) ?? null,
  status: r.status as OutboxStatus,
  notBefore: new Date(r.not_before as string | Date),
  attempts: Number(r.attempts),
  createdAt: new Date(r.created_at as string | Date),
  externalId: (r.external_id as string | null) ?? null,
});

// TypeORM answers UPDATE/DELETE ... RETURNING as [rows, rowCount] and INSERT/SELECT as rows.
export function returned(result: unknown): Raw[] {
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
  /**
   * Replicas: a row claimed by a process whose replica session is gone (killed mid-send) is
   * free again at once instead of after its lease. The session is the coordinator's, named
   * `wavewatch <session>` (ReplicaCoordinator.session; application_name keeps 63 characters).
   */
  private readonly claimantGone: string;
  private readonly claimant: string | null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    replicas: ReplicaCoordinator,
  ) {
    this.claimant = replicas.shared ? replicas.session : null;
    this.claimantGone = replicas.shared
      ? `OR (status = 'sending' AND claimed_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_stat_activity s WHERE s.application_name = left('wavewatch ' || notify_outbox.claimed_by, 63)))`
      : '';
  }

  /** Inside the caller's transaction; a transition written twice is kept once. */
  async insert(manager: EntityManager, rows: readonly NewOutboxRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    // One statement for every receiver of a transition: a storm's round trips stay few.
    const col = <T>(f: (r: NewOutboxRow) => T): T[] => rows.map(f);
    const result: unknown = await manager.query(
      `INSERT INTO notify_outbox (id, dedup_key, alert_id, fingerprint, kind, seq, route_key, channel, alert, event_at, status, not_before, group_id)
       SELECT u.id, u.dedup_key, u.alert_id, u.fingerprint, u.kind, 0, u.route_key, u.channel, u.alert::jsonb, u.event_at, u.status, u.not_before, u.group_id
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::text[], $9::timestamptz[], $10::varchar[], $11::timestamptz[], $12::uuid[])
         AS u(id, dedup_key, alert_id, fingerprint, kind, route_key, channel, alert, event_at, status, not_before, group_id)
       ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
      [
        col((r) => r.id),
        col((r) => r.dedupKey),
        col((r) => r.alert.id),
        col((r) => r.alert.fingerprint),
        col((r) => r.kind),
        col((r) => r.routeKey),
        col((r) => r.channel),
        col((r) => JSON.stringify(r.alert)),
        col((r) => r.eventAt),
        col((r) => r.status),
        col((r) => r.notBefore),
        col((r) => r.groupId ?? null),
      ],
    );
    return returned(result).length;
  }

  /** An annotation row (channel grafana); subject groups the rows of one alert or rollout. */
  async insertAnnotation(manager: EntityManager, a: NewAnnotationRow): Promise<number> {
    const result: unknown = await manager.query(
      `INSERT INTO notify_outbox (id, dedup_key, alert_id, fingerprint, kind, seq, route_key, channel, alert, payload, event_at, status, not_before)
       VALUES (gen_random_uuid(), $1, $2, $3, 'annotation', 0, $4, 'grafana', $5::jsonb, $6::jsonb, $7, 'pending', now())
       ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
      [a.dedupKey, a.subject, a.subject.slice(0, 32), a.routeKey, a.alert ? JSON.stringify(a.alert) : null, JSON.stringify(a.payload), a.eventAt],
    );
    return returned(result).length;
  }

  /** The payload of the newest annotation of a subject (the last announced gate verdict). */
  async lastAnnotation(subject: string, routeKey: string): Promise<unknown> {
    const rows: Raw[] = await this.db.query(
      `SELECT payload FROM notify_outbox WHERE alert_id = $1 AND route_key = $2 AND kind = 'annotation' ORDER BY event_at DESC, created_at DESC LIMIT 1`,
      [subject, routeKey],
    );
    return rows[0] ? parsed<unknown>(rows[0].payload) : null;
  }

  async load(id: string): Promise<OutboxRow | null> {
    const rows: Raw[] = await this.db.query(`SELECT * FROM notify_outbox WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Rows to hand to the queue: new ones, ones queued long ago (the queue may have lost them), expired leases, dead claimants. */
  async dueForQueue(staleSeconds: number, limit: number): Promise<OutboxRow[]> {
    const rows: Raw[] = await this.db.query(
      `SELECT * FROM notify_outbox
       WHERE (group_id IS NULL OR kind = 'group')
         AND (status = 'pending'
          OR (status = 'queued' AND queued_at < now() - make_interval(secs => $1))
          OR (status = 'sending' AND lease_until < now()) ${this.claimantGone})
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
        `UPDATE notify_outbox SET status = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => $2), claimed_by = $3
       WHERE id = $1 AND (status IN ('pending', 'queued') OR (status = 'sending' AND lease_until < now()) ${this.claimantGone})
       RETURNING attempts`,
        [id, leaseMs / 1000, this.claimant],
      ),
    );
    return rows[0] ? Number(rows[0].attempts) : null;
  }

  /** Records an attempt and the row's new state in one statement. */
  async recordAttempt(id: string, attempt: number, a: AttemptRecord): Promise<void> {
    await this.db.query(
      `WITH u AS (
         UPDATE notify_outbox SET status = $3::varchar, lease_until = NULL, last_http_status = $4::int, last_error = $5::varchar,
           external_id = COALESCE($8::varchar, external_id),
           delivered_at = CASE WHEN $3::varchar = 'delivered' THEN now() ELSE delivered_at END,
           queued_at = CASE WHEN $3::varchar = 'queued' THEN now() ELSE queued_at END
         WHERE id = $1::uuid RETURNING id)
       INSERT INTO notify_attempts (id, outbox_id, attempt, outcome, http_status, error, duration_ms)
       SELECT gen_random_uuid(), u.id, $2::int, $6::varchar, $4::int, $5::varchar, $7::int FROM u`,
      [id, attempt, a.status, a.httpStatus, a.error, a.outcome, Math.round(a.durationMs), a.externalId ?? null],
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
       WHERE o.route_key = $1 AND o.kind IN ('firing', 'repeat') AND o.status = 'delivered' AND o.group_id IS NULL
         AND o.delivered_at < now() - make_interval(secs => $2)
         AND NOT EXISTS (SELECT 1 FROM notify_outbox n WHERE n.alert_id = o.alert_id AND n.route_key = o.route_key AND n.created_at > o.created_at)
         AND NOT EXISTS (SELECT 1 FROM notify_outbox r WHERE r.alert_id = o.alert_id AND r.route_key = o.route_key AND r.kind = 'resolved')
       LIMIT $3
       ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
      [routeKey, intervalSeconds, limit],
    );
    return returned(result).length;
  }

  /** A notification by its dedup key (a Grafana annotation extends the one it started). */
  async byDedupKey(key: string): Promise<OutboxRow | null> {
    const rows: Raw[] = await this.db.query(`SELECT * FROM notify_outbox WHERE dedup_key = $1`, [key]);
    return rows[0] ? toRow(rows[0]) : null;
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
    // A grouped transition was delivered by its group's message: show that message's outcome.
    const messageIds = [...new Set(rows.map((r) => r.message_id).filter((id): id is string => typeof id === 'string'))];
    const messages: Raw[] = messageIds.length
      ? await this.db.query(`SELECT id, status, attempts, last_http_status, last_error, delivered_at FROM notify_outbox WHERE id = ANY($1::uuid[])`, [messageIds])
      : [];
    const byId = new Map(messages.map((m) => [m.id as string, m]));
    const merged = rows.map((r) => {
      const m = typeof r.message_id === 'string' ? byId.get(r.message_id) : undefined;
      return m ? { ...r, status: m.status, attempts: m.attempts, last_http_status: m.last_http_status, last_error: m.last_error, delivered_at: m.delivered_at } : r;
    });
    const attempts: Raw[] = await this.db.query(
      `SELECT * FROM notify_attempts WHERE outbox_id = ANY($1::uuid[]) ORDER BY attempt`,
      [[...rows.map((r) => r.id as string), ...messageIds]],
    );
    return merged.map((row) => ({ row, attempts: attempts.filter((a) => a.outbox_id === (row.message_id ?? row.id)) }));
  }
}
