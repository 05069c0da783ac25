import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import type { EmbeddedStorageConfig } from './embedded-postgres.js';
import { entities } from './entities.js';
import { pglitePoolDriver } from './pglite-pool.js';

export interface StorageSettings {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  embedded?: EmbeddedStorageConfig | undefined;
}

// Real PostgreSQL when DATABASE_URL is set; otherwise PGlite (PostgreSQL compiled to
// WebAssembly) in memory or in dataDir. Same entities, same migrations, never synchronize.
export function dataSourceOptions(s: StorageSettings): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: ['error' as const],
  };
  if (s.databaseUrl) {
    return { ...common, url: s.databaseUrl, extra: { max: 10, connectionTimeoutMillis: 5000 } };
  }
  return {
    ...common,
    // PGlite is one connection, lent to one query runner at a time (see pglite-pool.ts).
    driver: pglitePoolDriver({ dataDir: s.dataDir, sizes: s.embedded }),
    extra: { max: 1 },
  };
}
