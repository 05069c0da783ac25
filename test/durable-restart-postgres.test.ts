import { describe, it } from 'node:test';
import { compareRestart } from './support/restart-comparison.js';
import { createTestDatabase } from './support/test-config.js';

describe('kill -9 mid-incident and restart on the same PostgreSQL database', () => {
  it('alerts and gate answers equal an uninterrupted run', async (t) => {
    if (!process.env.DATABASE_URL) {
      t.skip('DATABASE_URL is not set: no PostgreSQL server to restart against');
      return;
    }
    await compareRestart(async () => {
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url ?? '', LOG_LEVEL: 'log' }, drop: () => db.drop() };
    });
  });
});
