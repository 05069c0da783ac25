import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AlertView } from '../../alerts/alert.types.js';

export type OutboxStatus = 'pending' | 'queued' | 'sending' | 'delivered' | 'failed' | 'superseded' | 'muted';
export type OutboxKind = 'firing' | 'resolved' | 'repeat';

// One row per (alert episode, transition, receiver): written in the alert's own transaction,
// so a notification exists exactly when the state change does. dedup_key is also the queue's
// job id; status 'delivered' is the record checked before any send.
@Entity({ name: 'notify_outbox' })
@Index('UQ_notify_outbox_dedup_key', ['dedupKey'], { unique: true })
@Index('IDX_notify_outbox_status', ['status', 'notBefore'])
@Index('IDX_notify_outbox_alert', ['alertId', 'routeKey', 'createdAt'])
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

  @Column({ type: 'jsonb' })
  alert!: AlertView;

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
