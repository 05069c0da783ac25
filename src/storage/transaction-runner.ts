import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

// The one way to run a unit of work in a transaction. A nested run() joins the outer
// transaction instead of asking for a second connection: on embedded PGlite there is only
// one (pglite-pool.ts lends it to one query runner at a time), so a nested transaction on
// its own connection would wait for itself.
@Injectable()
export class TransactionRunner {
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer) return work(outer);
    return this.dataSource.transaction((manager) => this.current.run(manager, () => work(manager)));
  }
}
