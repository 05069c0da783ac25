import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config.schema.js';
import { dataSourceOptions } from './data-source-options.js';

// Migrations are run by main.ts (and test helpers) before the app starts listening, so a
// failing migration stops start-up with its own error instead of a half-ready service.
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    const options = dataSourceOptions({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    return {
      module: StorageModule,
      imports: [TypeOrmModule.forRoot({ ...options, migrationsRun: true, retryAttempts: 3, retryDelay: 1000 })],
      exports: [TypeOrmModule],
    };
  }
}
