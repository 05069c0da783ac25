import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// One notification group per (route, group labels): the alerts its last message announced,
// and when it may send next. Written only by the relay's flush, under a row lock.
@Entity({ name: 'notify_groups' })
@Index('UQ_notify_groups_route_group', ['routeKey', 'groupKey'], { unique: true })
export class NotifyGroupEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_notify_groups' })
  id!: string;

  @Column({ name: 'route_key', type: 'varchar', length: 16 })
  routeKey!: string;

  @Column({ name: 'group_key', type: 'varchar', length: 64 })
  groupKey!: string;

  @Column({ type: 'jsonb' })
  labels!: Record<string, string>;

  /** fingerprint → the alert as last announced (firing alerts only) */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  alerts!: unknown;

  /** firing alerts in the group */
  @Column({ type: 'integer', default: 0 })
  active!: number;

  /** number of messages created; the next message's dedup key ends in v<version + 1> */
  @Column({ type: 'integer', default: 0 })
  version!: number;

  /** first transition not yet in a message */
  @Column({ name: 'pending_since', type: 'timestamptz', nullable: true })
  pendingSince!: Date | null;

  @Column({ name: 'last_sent_at', type: 'timestamptz', nullable: true })
  lastSentAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
