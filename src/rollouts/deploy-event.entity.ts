import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DeployEventType, WavePlan } from './rollout.types.js';

// Append-only log of deploy events (a trigger refuses UPDATE and DELETE). seq is the order
// of arrival; event_id is the idempotency key.
@Entity({ name: 'deploy_events' })
@Index('UQ_deploy_events_event_id', ['eventId'], { unique: true })
@Index('IDX_deploy_events_rollout', ['rolloutId'])
export class DeployEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_deploy_events' })
  seq!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: DeployEventType;

  @Column({ name: 'rollout_id', type: 'text' })
  rolloutId!: string;

  @Column({ type: 'text', nullable: true })
  service!: string | null;

  @Column({ type: 'text', nullable: true })
  version!: string | null;

  @Column({ type: 'text', nullable: true })
  wave!: string | null;

  @Column({ type: 'jsonb' })
  clusters!: string[];

  @Column({ type: 'jsonb', nullable: true })
  plan!: WavePlan[] | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
