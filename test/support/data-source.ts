import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/storage/data-source-options.js';

// A DataSource with every entity and migration, migrations run, on the given database (real
// PostgreSQL for a URL, else PGlite in memory or in dataDir). Destroy it when done.
export async function migratedDataSource(databaseUrl: string | undefined, dataDir?: string): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions({ databaseUrl, dataDir }));
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}
