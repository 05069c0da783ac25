import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AlertView } from '../../alerts/alert.types.js';

export type OutboxStatus = 'pending' | 'queued' | 'sending' | 'delivered' | 'failed' | 'superseded' | 'muted' | 'grouped';
/** group: one message of a notification group; annotation: a Grafana annotation */
export type OutboxKind = 'firing' | 'resolved' | 'repeat' | 'group' | 'annotation';

// One row per (alert episode, transition, receiver): written in the alert's own transaction,
// so a notification exists exactly when the state change does. dedup_key is also the queue's
// job id; status 'delivered' is the record checked before any send.
@Entity({ name: 'notify_outbox' })
@Index('UQ_notify_outbox_dedup_key', ['dedupKey'], { unique: true })
@Index('IDX_notify_outbox_status', ['status', 'notBefore'])
@Index('IDX_notify_outbox_alert', ['alertId', 'routeKey', 'createdAt'])
@Index('IDX_notify_outbox_group', ['groupId', 'status'])
export class NotificationOutboxEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_notify_outbox' })
  id!: string;

  @Column({ name: 'dedup_key', type: 'varchar', length: 200 })
  dedupKey!: string;

  @Column({ name: 'alert_id', type: 'varchar', length: 64 })
  alertId!: string;

  @Column({ type: 'varchar', length: 32 })
  fingerprint!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: OutboxKind;

  /** 0 for a transition, n for the n-th reminder of a still-firing alert */
  @Column({ type: 'integer', default: 0 })
  seq!: number;

  @Column({ name: 'route_key', type: 'varchar', length: 16 })
  routeKey!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  /** null on group messages and annotations, which carry their content in payload */
  @Column({ type: 'jsonb', nullable: true })
  alert!: AlertView | null;

  @Column({ type: 'jsonb', nullable: true })
  payload!: unknown;

  /** the notification group of a grouped transition or of a group message */
  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  /** the group message that carried this transition */
  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId!: string | null;

  /** the receiver's id of what was created (a Grafana annotation id) */
  @Column({ name: 'external_id', type: 'varchar', length: 64, nullable: true })
  externalId!: string | null;

  @Column({ name: 'event_at', type: 'timestamptz' })
  eventAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: OutboxStatus;

  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore!: Date;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  /** replica session that claimed the row for its current send (ReplicaCoordinator.session; null with embedded PGlite) */
  @Column({ name: 'claimed_by', type: 'varchar', length: 128, nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'last_http_status', type: 'integer', nullable: true })
  lastHttpStatus!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
