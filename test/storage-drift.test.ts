import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { schemaDrift } from '../src/storage/schema-drift.js';
import { migratedDataSource } from './support/data-source.js';
import { createTestDatabase, type TestDatabase } from './support/test-config.js';

const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

describe(`schema on ${engine}`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  before(async () => {
    db = await createTestDatabase();
    dataSource = await migratedDataSource(db.url);
  });
  after(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('has entities and migrations in agreement (run `npm run migration:generate` if not)', async () => {
    const drift = await schemaDrift(dataSource);
    assert.deepEqual(drift.up, [], `entities need SQL that no migration has:\n${drift.up.join(';\n')}`);
  });

  it('would notice drift: an index the entities declare but the database lacks', async () => {
    await dataSource.query(`DROP INDEX "IDX_deploy_events_rollout"`);
    try {
      const drift = await schemaDrift(dataSource);
      assert.ok(drift.up.some((q) => q.includes('IDX_deploy_events_rollout')), drift.up.join('\n'));
    } finally {
      await dataSource.query(`CREATE INDEX "IDX_deploy_events_rollout" ON "deploy_events" ("rollout_id")`);
    }
  });

  it('keeps deploy events append-only', async () => {
    await dataSource.query(
      `INSERT INTO deploy_events (event_id, type, rollout_id, clusters, at, received_at) VALUES ('e1', 'wave_started', 'r', '["a"]', now(), now())`,
    );
    await assert.rejects(dataSource.query(`UPDATE deploy_events SET rollout_id = 'other'`), /append-only/);
    await assert.rejects(dataSource.query(`DELETE FROM deploy_events`), /append-only/);
    const rows = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM deploy_events`);
    assert.equal(rows[0]?.n, 1);
  });

  it('runs every migration down and up again', async () => {
    const count = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM migrations`);
    const applied = count[0]?.n ?? 0;
    assert.ok(applied >= 2);
    for (let i = 0; i < applied; i++) await dataSource.undoLastMigration();
    const tables = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'deploy_events'`);
    assert.equal(tables[0]?.n, 0);
    await dataSource.runMigrations();
    assert.deepEqual((await schemaDrift(dataSource)).up, []);
  });
});
