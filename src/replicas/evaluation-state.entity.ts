import { Column, Entity, PrimaryColumn } from 'typeorm';

// The leader's newest evaluated step, shared with the other replicas (one row, id 1): the
// gate on every replica answers from it, and a new leader continues after evaluated_through.
@Entity({ name: 'evaluation_state' })
export class EvaluationStateEntity {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_evaluation_state' })
  id!: number;

  /** event time of the newest evaluated step (written in the transaction of that step's alerts) */
  @Column({ name: 'evaluated_through', type: 'timestamptz' })
  evaluatedThrough!: Date;

  /** the AnalysisResult of the newest published step */
  @Column({ type: 'jsonb', nullable: true })
  result!: unknown;

  /** live | replay: the leader's clock mode when it wrote the step */
  @Column({ type: 'varchar', length: 8 })
  mode!: string;

  @Column({ type: 'varchar', length: 128 })
  leader!: string;

  @Column({ name: 'written_at', type: 'timestamptz', default: () => 'now()' })
  writtenAt!: Date;
}
