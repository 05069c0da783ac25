import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { isEmbedded } from './data-source-options.js';
import { Mutex } from './mutex.js';

// The one way to run a unit of work in a transaction. PGlite is a single connection that
// typeorm-pglite hands out as a pool, so two TypeORM transactions at once would interleave
// their BEGIN/COMMIT on it; in embedded mode transactions are therefore serialised. A nested
// run() joins the outer transaction instead of waiting for itself.
@Injectable()
export class TransactionRunner {
  private readonly mutex: Mutex | null;
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.mutex = isEmbedded({ databaseUrl: config.databaseUrl }) ? new Mutex() : null;
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer) return work(outer);
    const transaction = (): Promise<T> =>
      this.dataSource.transaction((manager) => this.current.run(manager, () => work(manager)));
    return this.mutex ? this.mutex.runExclusive(transaction) : transaction();
  }
}
