import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config.schema.js';
import { dataSourceOptions } from './data-source-options.js';
import { TransactionRunner } from './transaction-runner.js';

// Migrations run when the DataSource initialises (migrationsRun), before any module that
// reads the database starts, so a failing migration stops start-up with its own error
// instead of a half-ready service. TypeOrmModule closes the DataSource on application
// shutdown, after the HTTP server has finished its in-flight requests.
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    const options = dataSourceOptions({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embedded: config.storage.embedded });
    return {
      module: StorageModule,
      imports: [TypeOrmModule.forRoot({ ...options, migrationsRun: true, retryAttempts: 3, retryDelay: 1000 })],
      providers: [TransactionRunner],
      exports: [TypeOrmModule, TransactionRunner],
    };
  }
}
