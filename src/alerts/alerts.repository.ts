import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AlertEntity } from './alert.entity.js';
import type { AlertRecord } from './alert-lifecycle.js';
import { entityToRecord, recordToEntity } from './alert-record.mapper.js';

export interface AlertQuery {
  state: 'firing' | 'resolved' | 'all';
  rolloutId?: string | undefined;
  limit: number;
}

@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async loadOpen(): Promise<AlertRecord[]> {
    const rows = await this.dataSource.getRepository(AlertEntity).find({ where: [{ state: 'pending' }, { state: 'firing' }] });
    return rows.map(entityToRecord);
  }

  async save(manager: EntityManager, records: readonly AlertRecord[]): Promise<void> {
    if (records.length === 0) return;
    await manager.getRepository(AlertEntity).save(records.map(recordToEntity), { chunk: 200 });
  }

  async list(q: AlertQuery): Promise<AlertRecord[]> {
    const qb = this.dataSource.getRepository(AlertEntity).createQueryBuilder('a').where(`a.state <> 'pending'`);
    if (q.state !== 'all') qb.andWhere('a.state = :state', { state: q.state });
    if (q.rolloutId !== undefined) qb.andWhere('a.rollout_id = :rolloutId', { rolloutId: q.rolloutId });
    const rows = await qb.orderBy('a.starts_at', 'ASC').addOrderBy('a.id', 'ASC').limit(q.limit).getMany();
    return rows.map(entityToRecord);
  }
}
