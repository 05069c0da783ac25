import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// One finished signal step of one cluster: every signal's final value at that step (never raw
// samples). Kept for signals.windowSeconds so a restart gets its baselines back.
@Entity({ name: 'signal_points' })
@Index('IDX_signal_points_step', ['stepAt'])
@Index('IDX_signal_points_written', ['writtenAt'])
export class SignalPointEntity {
  @PrimaryColumn({ type: 'varchar', length: 256, primaryKeyConstraintName: 'PK_signal_points' })
  cluster!: string;

  @PrimaryColumn({ name: 'step_at', type: 'timestamptz', primaryKeyConstraintName: 'PK_signal_points' })
  stepAt!: Date;

  /** signal name → final value; signals without a point are left out */
  @Column({ name: 'signal_values', type: 'jsonb' })
  signalValues!: Record<string, number>;

  /** wall-clock time of the write: tells live data (written as it happened) from a replay of history */
  @Column({ name: 'written_at', type: 'timestamptz', default: () => 'now()' })
  writtenAt!: Date;

  /** replica that wrote it (replicas.id): the others load what they did not ingest themselves */
  @Column({ type: 'varchar', length: 128, default: '' })
  writer!: string;
}
