import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import type { AppConfig } from '../../src/config/config.schema.js';
import { createTestDatabase, testConfig, type TestDatabase } from './test-config.js';

export interface RunningApp {
  app: INestApplication;
  url: string;
  config: AppConfig;
  close(): Promise<void>;
}

// Starts the whole service on a free port with its own fresh database (real PostgreSQL when
// DATABASE_URL is set, else PGlite in memory). Pass env-style overrides, e.g. { REDIS_URL }.
export async function startApp(overrides: Record<string, string | undefined> = {}): Promise<RunningApp> {
  const db: TestDatabase = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: db.url, REDIS_URL: undefined, ...overrides });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    config,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
