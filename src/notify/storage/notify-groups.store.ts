import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AlertView } from '../../alerts/alert.types.js';
import type { GroupMember } from '../grouping/group-plan.js';
import type { GroupMessage } from '../grouping/group-message.js';
import type { OutboxStatus } from './notification-outbox.entity.js';
import { returned } from './notify.store.js';

type Raw = Record<string, unknown>;
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string | Date));

export interface GroupRow {
  id: string;
  routeKey: string;
  groupKey: string;
  labels: Record<string, string>;
  active: number;
  version: number;
  pendingSince: Date | null;
  lastSentAt: Date | null;
}

export interface GroupUpdate {
  announced: Record<string, AlertView>;
  version: number;
  pendingSince: Date | null;
  lastSentAt: Date | null;
}

const toGroup = (r: Raw): GroupRow => ({
  id: r.id as string,
  routeKey: r.route_key as string,
  groupKey: r.group_key as string,
  labels: json<Record<string, string>>(r.labels),
  active: Number(r.active),
  version: Number(r.version),
  pendingSince: date(r.pending_since),
  lastSentAt: date(r.last_sent_at),
});

// notify_groups: written in the alert's transaction (touch) and by the relay's flush (the rest,
// inside one transaction holding the group's row lock).
@Injectable()
export class NotifyGroupsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Marks the group as having news (creating it on first use); returns its id. */
  async touch(manager: EntityManager, routeKey: string, groupKey: string, labels: Record<string, string>, now: Date): Promise<string> {
    const rows: Raw[] = await manager.query(
      `INSERT INTO notify_groups (id, route_key, group_key, labels, pending_since) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (route_key, group_key) DO UPDATE SET pending_since = COALESCE(notify_groups.pending_since, EXCLUDED.pending_since), updated_at = now()
       RETURNING id`,
      [randomUUID(), routeKey, groupKey, JSON.stringify(labels), now],
    );
    return rows[0]?.id as string;
  }

  /** The group that announced an alert's FIRING on a route: its RESOLVED belongs there too. */
  async groupOfFiring(manager: EntityManager, alertId: string, routeKey: string, now: Date): Promise<string | null> {
    const result: unknown = await manager.query(
      `UPDATE notify_groups SET pending_since = COALESCE(pending_since, $3), updated_at = now()
       WHERE id = (SELECT group_id FROM notify_outbox WHERE alert_id = $1 AND route_key = $2 AND kind = 'firing' AND group_id IS NOT NULL LIMIT 1)
       RETURNING id`,
      [alertId, routeKey, now],
    );
    return (returned(result)[0]?.id as string | undefined) ?? null;
  }

  /** Groups of configured routes with news or with firing alerts; the caller decides which are due. */
  async candidates(routeKeys: readonly string[], limit: number): Promise<GroupRow[]> {
    const rows: Raw[] = await this.db.query(
      `SELECT id, route_key, group_key, labels, active, version, pending_since, last_sent_at FROM notify_groups
       WHERE route_key = ANY($1::varchar[]) AND (pending_since IS NOT NULL OR active > 0) ORDER BY pending_since NULLS LAST LIMIT $2`,
      [routeKeys, limit],
    );
    return rows.map(toGroup);
  }

  async lock(manager: EntityManager, id: string): Promise<{ group: GroupRow; announced: Record<string, AlertView> } | null> {
    const rows: Raw[] = await manager.query(`SELECT * FROM notify_groups WHERE id = $1 FOR UPDATE`, [id]);
    const r = rows[0];
    return r ? { group: toGroup(r), announced: json<Record<string, AlertView>>(r.alerts) } : null;
  }

  /** A message of the group not yet delivered or given up: the next one waits for it. */
  async hasOpenMessage(manager: EntityManager, id: string): Promise<boolean> {
    const rows: Raw[] = await manager.query(
      `SELECT 1 FROM notify_outbox WHERE group_id = $1 AND kind = 'group' AND status IN ('pending', 'queued', 'sending') LIMIT 1`,
      [id],
    );
    return rows.length > 0;
  }

  async pendingMembers(manager: EntityManager, id: string): Promise<GroupMember[]> {
    const rows: Raw[] = await manager.query(
      `SELECT id, kind, alert FROM notify_outbox WHERE group_id = $1 AND kind IN ('firing', 'resolved') AND status = 'pending'
       ORDER BY created_at, CASE WHEN kind = 'firing' THEN 0 ELSE 1 END, id`,
      [id],
    );
    return rows.map((r) => ({ id: r.id as string, kind: r.kind as GroupMember['kind'], alert: json<AlertView>(r.alert) }));
  }

  async insertMessage(manager: EntityManager, group: GroupRow, channel: string, message: GroupMessage, now: Date): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `INSERT INTO notify_outbox (id, dedup_key, alert_id, fingerprint, kind, seq, route_key, channel, alert, payload, group_id, event_at, status, not_before)
       VALUES ($1, $2, $3, $4, 'group', $5, $6, $7, NULL, $8::jsonb, $10::uuid, $9, 'pending', $9)`,
      [id, `${group.id}.v${message.version}`, group.id, group.groupKey, message.version, group.routeKey, channel, JSON.stringify(message), now, group.id],
    );
    return id;
  }

  async markMembers(manager: EntityManager, ids: readonly string[], status: OutboxStatus, messageId: string | null): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`UPDATE notify_outbox SET status = $2, message_id = $3 WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [ids, status, messageId]);
  }

  async update(manager: EntityManager, id: string, u: GroupUpdate): Promise<void> {
    await manager.query(
      `UPDATE notify_groups SET alerts = $2::jsonb, active = $3, version = $4, pending_since = $5, last_sent_at = $6, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(u.announced), Object.keys(u.announced).length, u.version, u.pendingSince, u.lastSentAt],
    );
  }

  /** Idle groups (nothing firing, nothing pending) are forgotten after the retention time. */
  async purge(retentionHours: number): Promise<void> {
    await this.db.query(
      `DELETE FROM notify_groups WHERE active = 0 AND pending_since IS NULL AND updated_at < now() - make_interval(hours => $1)`,
      [Math.floor(retentionHours)],
    );
  }
}
