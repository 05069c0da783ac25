// Every migration, in order. TypeORM runs the pending ones at start (migrationsRun), on
// PostgreSQL and on PGlite alike; synchronize is never on.
import type { MixedList } from 'typeorm';
import { Alerts1764133200000 } from './1764133200000-alerts.js';
import { DeployEvents1764133300000 } from './1764133300000-deploy-events.js';
import { NotifyOutbox1764133500000 } from './1764133500000-notify-outbox.js';
import { SignalPoints1764134000000 } from './1764134000000-signal-points.js';
import { NotifyGroups1764140500000 } from './1764140500000-notify-groups.js';
import { Replicas1764150000000 } from './1764150000000-replicas.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export const migrations: MixedList<Function> = [Alerts1764133200000, DeployEvents1764133300000, NotifyOutbox1764133500000, SignalPoints1764134000000, NotifyGroups1764140500000, Replicas1764150000000];
