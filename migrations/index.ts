// Every migration, in order. TypeORM runs the pending ones at start (migrationsRun), on
// PostgreSQL and on PGlite alike; synchronize is never on.
import type { MixedList } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export const migrations: MixedList<Function> = [];
