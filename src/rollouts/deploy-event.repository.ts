import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DeployEventEntity } from './deploy-event.entity.js';
import type { NewDeployEvent } from './parse-deploy-events.js';
import type { DeployEvent } from './rollout.types.js';

// The append-only event log. Idempotency lives in the database: the unique event_id index
// with ON CONFLICT DO NOTHING makes concurrent duplicate POSTs store one row.
@Injectable()
export class DeployEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts what is new; returns the stored events with their arrival seq. */
  async append(manager: EntityManager, events: readonly NewDeployEvent[], receivedAt: Date): Promise<DeployEvent[]> {
    if (events.length === 0) return [];
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(DeployEventEntity)
      .values(
        events.map((e) => ({
          eventId: e.eventId,
          type: e.type,
          rolloutId: e.rolloutId,
          service: e.service,
          version: e.version,
          wave: e.wave,
          clusters: [...e.clusters],
          plan: e.plan ? e.plan.map((p) => ({ wave: p.wave, clusters: [...p.clusters] })) : null,
          at: new Date(e.atMs),
          receivedAt,
        })),
      )
      .orIgnore()
      .returning('seq::text AS seq, event_id')
      .updateEntity(false)
      .execute();
    const seqOf = new Map((result.raw as Array<{ seq: string; event_id: string }>).map((r) => [r.event_id, Number(r.seq)]));
    return events.flatMap((e) => {
      const seq = seqOf.get(e.eventId);
      return seq === undefined ? [] : [{ ...e, seq }];
    });
  }

  /** every event, or those of some rollouts, in arrival order */
  async loadAll(rolloutIds?: readonly string[]): Promise<DeployEvent[]> {
    const where = rolloutIds ? { rolloutId: In([...rolloutIds]) } : {};
    const rows = await this.dataSource.getRepository(DeployEventEntity).find({ where, order: { seq: 'ASC' } });
    return rows.map((r) => ({
      eventId: r.eventId,
      type: r.type,
      rolloutId: r.rolloutId,
      service: r.service,
      version: r.version,
      wave: r.wave,
      clusters: r.clusters,
      plan: r.plan,
      atMs: r.at.getTime(),
      seq: Number(r.seq),
    }));
  }
}
