// Every migration, in order. TypeORM runs the pending ones at start (migrationsRun), on
// PostgreSQL and on PGlite alike; synchronize is never on.
import type { MixedList } from 'typeorm';

export const migrations: MixedList<Function> = [];
