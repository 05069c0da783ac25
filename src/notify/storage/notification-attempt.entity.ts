import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

// Every HTTP attempt of a notification, for GET /api/v1/notifications and post-mortems.
@Entity({ name: 'notify_attempts' })
@Index('IDX_notify_attempts_outbox', ['outboxId', 'attempt'])
export class NotificationAttemptEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_notify_attempts' })
  id!: string;

  @Column({ name: 'outbox_id', type: 'uuid' })
  outboxId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AttemptOutcome;

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus!: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
