import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { TransactionRunner } from '../src/storage/transaction-runner.js';
import { migratedDataSource } from './support/data-source.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

const insert = `INSERT INTO deploy_events (event_id, type, rollout_id, clusters, at, received_at) VALUES ($1, 'wave_started', 'tx', '[]', now(), now())`;
const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(`TransactionRunner on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runner: TransactionRunner;
  before(async () => {
    db = await createTestDatabase();
    dataSource = await migratedDataSource(db.url);
    runner = new TransactionRunner(dataSource);
  });
  after(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('keeps concurrent transactions apart: a rollback takes only its own rows', async () => {
    const failing = runner.run(async (m) => {
      await m.query(insert, ['doomed-1']);
      await pause();
      await m.query(insert, ['doomed-2']);
      await pause();
      throw new Error('roll back');
    });
    const committing = Promise.all(
      ['kept-1', 'kept-2', 'kept-3'].map((id) =>
        runner.run(async (m) => {
          await pause();
          await m.query(insert, [id]);
        }),
      ),
    );
    await assert.rejects(failing, /roll back/);
    await committing;
    const rows = await dataSource.query<Array<{ event_id: string }>>(`SELECT event_id FROM deploy_events WHERE rollout_id = 'tx' ORDER BY event_id`);
    assert.deepEqual(rows.map((r) => r.event_id), ['kept-1', 'kept-2', 'kept-3']);
  });

  it('keeps a statement issued outside the transaction out of it (not rolled back with it)', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => (inside = resolve));
    const failing = runner.run(async (m) => {
      await m.query(insert, ['tx-doomed']);
      inside();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('roll back');
    });
    await opened;
    // issued while the transaction above is open, on the DataSource itself
    const outside = dataSource.query(insert, ['outside-kept']);
    await assert.rejects(failing, /roll back/);
    await outside;
    const rows = await dataSource.query<Array<{ event_id: string }>>(`SELECT event_id FROM deploy_events WHERE event_id IN ('tx-doomed', 'outside-kept')`);
    assert.deepEqual(rows.map((r) => r.event_id), ['outside-kept']);
  });

  it('lets a nested run join the outer transaction instead of waiting for it', async () => {
    await assert.rejects(
      runner.run(async (m) => {
        await m.query(insert, ['outer']);
        await runner.run((inner) => inner.query(insert, ['inner']));
        throw new Error('undo both');
      }),
      /undo both/,
    );
    const rows = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM deploy_events WHERE event_id IN ('outer', 'inner')`);
    assert.equal(rows[0]?.n, 0);
  });
});
