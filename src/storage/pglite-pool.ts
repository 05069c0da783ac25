import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { types, type PGlite } from '@electric-sql/pglite';
import { configSchema } from '../config/config.schema.js';
import { startEmbeddedPostgres, type EmbeddedStorageConfig } from './embedded-postgres.js';
import { Mutex } from './mutex.js';

type QueryCallback = (error: Error | null, result?: unknown) => void;
type ConnectCallback = (error: Error | null, client?: PGliteClient, release?: (error?: unknown) => void) => void;

export interface PGlitePoolOptions {
  dataDir?: string | undefined;
  /** memory sizes (storage.embedded, see embedded-postgres.ts); their defaults when absent */
  sizes?: EmbeddedStorageConfig | undefined;
  /** a wait for the connection longer than this fails the query instead of hanging */
  acquireTimeoutMs?: number;
}

// PGlite is ONE connection. typeorm-pglite (0.3.4) hands that connection to every TypeORM
// query runner at once and keeps one PGlite per process: a statement issued while another
// runner's transaction is open runs inside it (and is rolled back with it), and two
// DataSources in one process share a database. This pool gives the connection to one query
// runner at a time, like a pg pool of size 1, and owns its own PGlite instance.
class PGliteClient extends EventEmitter {
  constructor(private readonly db: () => Promise<PGlite>) {
    super();
  }

  query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<unknown> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : undefined;
    const run = async (): Promise<unknown> => {
      const db = await this.db();
      // Without parameters a string may hold several statements (migrations): exec them all
      // and answer with the last result, as pg does.
      if (values && values.length > 0) return db.query(sql, values);
      const results = await db.exec(sql);
      return results[results.length - 1] ?? { rows: [], fields: [] };
    };
    const done = run();
    if (cb) done.then((r) => cb(null, r), (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))));
    return done;
  }
}

export function pglitePoolDriver(options: PGlitePoolOptions): { Pool: new (config?: unknown) => EventEmitter } {
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 60_000;
  const sizes = options.sizes ?? configSchema.shape.storage.parse(undefined).embedded;
  let instance: Promise<PGlite> | null = null;
  let vacuum: { stop(): void } | null = null;
  const lock = new Mutex();
  // Vacuuming runs while an instance is open: TypeORM ends the pool when a start attempt fails
  // and the retry opens a new instance on this same driver, which must be vacuumed too.
  const db = (): Promise<PGlite> => {
    if (!instance) {
      instance = startEmbeddedPostgres(options.dataDir, sizes, {
        // PGlite serialises JS booleans differently from pg; TypeORM sends them as values.
        serializers: { [types.BOOL]: (v: unknown) => (v === true || v === 'true' || v === 1 ? 'TRUE' : v === false || v === 'false' || v === 0 ? 'FALSE' : String(v)) },
      });
      vacuum = startVacuuming(() => instance, lock, sizes.vacuumIntervalSeconds * 1000);
    }
    return instance;
  };
  const client = new PGliteClient(db);

  class Pool extends EventEmitter {
    // TypeORM passes pg connection options; PGlite needs none of them.
    constructor(_config?: unknown) {
      super();
    }

    connect(callback: ConnectCallback): void {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        callback(new Error(`embedded database busy: no connection within ${acquireTimeoutMs} ms (a query issued inside another transaction?)`));
      }, acquireTimeoutMs);
      timer.unref();
      void lock.acquire().then(async (release) => {
        clearTimeout(timer);
        if (timedOut) return release();
        try {
          await db();
        } catch (error) {
          release();
          return callback(error instanceof Error ? error : new Error(String(error)));
        }
        callback(null, client, () => release());
      });
    }

    end(callback?: (error?: Error) => void): void {
      vacuum?.stop();
      vacuum = null;
      const closing = instance ? instance.then((p) => p.close()) : Promise.resolve();
      instance = null;
      closing.then(
        () => callback?.(),
        (e: unknown) => callback?.(e instanceof Error ? e : new Error(String(e))),
      );
    }
  }
  return { Pool };
}

// PGlite runs PostgreSQL single-user: no autovacuum. The space of deleted and updated rows is
// then never reused and a table grows by everything ever written to it: measured, signal
// points of 100 clusters kept for a 60-step window grew 87 kB a step without end (52 MB after
// 600 steps, 6,400 live rows) and stayed at 5.8 MB with VACUUM after each prune. Without a
// data dir that growth is memory. A plain VACUUM of the database, at an interval, in the
// pool's turn like any query runner.
function startVacuuming(instance: () => Promise<PGlite> | null, lock: Mutex, intervalMs: number): { stop(): void } {
  const logger = new Logger('embedded-postgres');
  const timer = setInterval(() => {
    void (async () => {
      const release = await lock.acquire();
      try {
        const db = instance();
        if (db) await (await db).exec('VACUUM');
      } catch (error) {
        logger.warn(`VACUUM failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        release();
      }
    })();
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
