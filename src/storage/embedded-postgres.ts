import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import type { AppConfig } from '../config/config.schema.js';

// Starts the embedded PostgreSQL (PGlite) with the sizes of config storage.embedded (see
// config.schema.ts for what each costs).

export type EmbeddedStorageConfig = AppConfig['storage']['embedded'];

// initdb: a WAL segment of 1 MB instead of 16 MB (a new database holds at least one segment,
// in memory without a data dir). Only a new data dir gets it; an existing one keeps its own.
const initDbParams: readonly string[] = ['--wal-segsize=1'];

/** postgres `-c` settings for PGlite's start parameters */
export function serverParams(s: EmbeddedStorageConfig, inMemory: boolean): string[] {
  const settings: Record<string, string> = {
    shared_buffers: `${s.sharedBuffersMb}MB`,
    work_mem: `${s.workMemMb}MB`,
    maintenance_work_mem: `${s.maintenanceWorkMemMb}MB`,
    max_wal_size: `${s.maxWalSizeMb}MB`,
    // Recycled segments kept after a checkpoint. In memory they are memory: keep two of our
    // 1 MB segments. A data dir may have been made with 16 MB segments, where PostgreSQL
    // refuses less than 32 MB, and there they are disk: its default (80 MB) stays.
    ...(inMemory ? { min_wal_size: '2MB' } : {}),
    // the temporary-table buffer of a session: wavewatch creates none
    temp_buffers: '1MB',
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

export async function startEmbeddedPostgres(
  dataDir: string | undefined,
  sizes: EmbeddedStorageConfig,
  options: Pick<PGliteOptions, 'serializers'>,
): Promise<PGlite> {
  // V8 compiles PostgreSQL's hot Wasm functions a second time with its optimizing compiler, on
  // background threads whose malloc arenas keep the compiler's memory: 45-55 MB resident for
  // the process's life (measured: PGlite alone 167-179 MB → 122 MB). The baseline compiler's
  // code answers wavewatch's queries as fast within noise (3000 inserts, 500 aggregates).
  // Read when a module is compiled: set before PGlite compiles its module. Process-wide, and
  // PGlite is the only Wasm of this process bar Node's small HTTP parser.
  if (!sizes.optimizeWasm) setFlagsFromString('--liftoff-only');
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    startParams: [...PGlite.defaultStartParams, ...serverParams(sizes, !dataDir)],
    initDbStartParams: [...initDbParams],
    ...options,
  });
  if (!dataDir) collectInitDbGarbage();
  return db;
}

// Without a data dir PGlite runs initdb at every start, in a second PGlite instance (its own
// Wasm memory, a tarball of the new database, a copy of the file bundle) that it closes but
// leaves to the garbage collector: 350-450 MB that an idle process keeps for minutes, as
// nothing allocates to trigger a collection. It is still reachable for a moment after
// create() returns (collected at 1 s, not at 0, in a bare process); collect at 2 s and again
// at 10 s, after a slow start's migrations. --expose-gc set at run time gives `gc` to
// contexts made after it (a vm context here), not to the main one.
function collectInitDbGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') return;
  for (const ms of [2000, 10_000]) setTimeout(gc as () => void, ms).unref();
}
