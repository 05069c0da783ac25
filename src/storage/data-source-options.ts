import { PGliteDriver } from 'typeorm-pglite';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

export interface StorageSettings {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

export const isEmbedded = (s: StorageSettings): boolean => !s.databaseUrl;

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
    // PGlite is one connection; typeorm-pglite exposes it as a pg-compatible pool.
    driver: new PGliteDriver(s.dataDir ? { dataDir: s.dataDir } : {}).driver,
    extra: { max: 1 },
  };
}
