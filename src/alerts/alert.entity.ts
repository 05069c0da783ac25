import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AlertAnnotations, AlertName, AlertState, Severity } from './alert.types.js';

// One row per alert episode: a fingerprint that fires, resolves and fires again makes a new
// row. At most one open (pending or firing) row per fingerprint.
@Entity({ name: 'alerts' })
@Index('UQ_alerts_open_fingerprint', ['fingerprint'], { unique: true, where: `"state" <> 'resolved'` })
@Index('IDX_alerts_rollout', ['rolloutId'])
@Index('IDX_alerts_state_starts', ['state', 'startsAt'])
export class AlertEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  fingerprint!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: AlertName;

  @Column({ type: 'varchar', length: 16 })
  severity!: Severity;

  @Column({ type: 'varchar', length: 16 })
  state!: AlertState;

  @Column({ name: 'rollout_id', type: 'varchar', length: 256, nullable: true })
  rolloutId!: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  wave!: string | null;

  @Column({ type: 'jsonb' })
  clusters!: string[];

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'held_steps', type: 'integer' })
  heldSteps!: number;

  @Column({ name: 'clear_steps', type: 'integer' })
  clearSteps!: number;

  @Column({ name: 'time_to_impact_seconds', type: 'double precision', nullable: true })
  timeToImpactSeconds!: number | null;

  @Column({ type: 'jsonb' })
  labels!: Record<string, string>;

  @Column({ type: 'jsonb' })
  annotations!: AlertAnnotations;

  @Column({ type: 'jsonb' })
  figures!: Record<string, number>;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
