import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';

/** pg_try_advisory_lock(LOCK_CLASS, LOCK_ID): one leader per database */
const LOCK_CLASS = 0x77617665; // "wave"
const LOCK_ID = 1;

/** NOTIFY channels between replicas of one database */
export const CHANNELS = {
  /** the leader published an evaluated step (alerts and the gate's result changed) */
  evaluation: 'wavewatch_evaluation',
  /** deploy events were stored; payload: a JSON array of rollout ids, or * for all */
  rollouts: 'wavewatch_rollouts',
  /** a replica wrote final signal points */
  points: 'wavewatch_points',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (bytes, not characters) */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7000;

/** whether a payload fits a NOTIFY (callers send a shorter one, e.g. "all", when not) */
export const fitsNotify = (payload: string): boolean => Buffer.byteLength(payload, 'utf8') <= MAX_NOTIFY_PAYLOAD_BYTES;

export interface ReplicaMessage {
  /** 'resync': the listening session was (re)connected, messages may have been missed */
  readonly channel: Channel | 'resync';
  readonly payload: string;
}

// Leader election and messages between wavewatch processes sharing one PostgreSQL database.
// The lock and LISTEN live on a dedicated session outside TypeORM's pool: the lock is held
// while that session is, so a leader killed with SIGKILL releases it as soon as PostgreSQL
// sees the connection close. The leader checks its session every poll and steps down at once
// when it fails (stops evaluating and relaying); a follower tries the lock every poll. With
// embedded PGlite (one process by construction) this process is always the leader.
@Injectable()
export class ReplicaCoordinator implements OnModuleInit, OnModuleDestroy {
  readonly id: string;
  /**
   * this process's session tag, `<boot nonce>:<id>`: a replica restarted under the same id
   * (a fixed replicas.id, or hostname-pid as pid 1 in a container) is another session, so
   * claims of the killed one read as gone (nonce first: application_name keeps 63 characters)
   */
  readonly session: string;
  /** false with embedded PGlite: no other process can share the database */
  readonly shared: boolean;
  private readonly logger = new Logger('replicas');
  private readonly pollMs: number;
  private readonly leaderSubject: BehaviorSubject<boolean>;
  private readonly messageSubject = new Subject<ReplicaMessage>();
  private readonly leaderGauge: Gauge;
  private readonly changes: Counter;
  private readonly sharedClusterPoints: Counter;
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private lastError = '';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.id = config.replicas.id ?? `${hostname()}-${process.pid}`;
    this.session = `${randomBytes(4).toString('hex')}:${this.id}`;
    this.shared = Boolean(config.databaseUrl);
    this.pollMs = config.replicas.leaderPollSeconds * 1000;
    this.leaderSubject = new BehaviorSubject(!this.shared);
    this.leaderGauge = new Gauge({ name: 'wavewatch_replica_leader', help: '1 while this process is the leader (evaluates, alerts, relays notifications, pulls).', registers: [registry] });
    this.changes = new Counter({ name: 'wavewatch_replica_leader_changes_total', help: 'Times this process took or lost the lead.', registers: [registry] });
    this.sharedClusterPoints = new Counter({
      name: 'wavewatch_replica_shared_cluster_points_total',
      help: 'Signal points read from another replica for a cluster this replica also received within 5 minutes: one cluster fed to two replicas (last writer wins), or a cluster that just moved.',
      registers: [registry],
    });
    this.leaderGauge.set(this.shared ? 0 : 1);
  }

  noteSharedCluster(points: number): void {
    this.sharedClusterPoints.inc(points);
  }

  /** the first attempt happens before the other modules start, so a lone process starts as leader */
  async onModuleInit(): Promise<void> {
    if (!this.shared) return;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    await this.drop('shutting down');
    this.messageSubject.complete();
  }

  isLeader(): boolean {
    return this.leaderSubject.value;
  }

  /** the current role first, then every change */
  get leadership(): Observable<boolean> {
    return this.leaderSubject.asObservable();
  }

  get messages(): Observable<ReplicaMessage> {
    return this.messageSubject.asObservable();
  }

  /** NOTIFY the other replicas; with a manager, delivered when its transaction commits */
  async notify(channel: Channel, payload = '', manager?: EntityManager): Promise<void> {
    if (!this.shared) return;
    // a cut payload would be corrupt JSON and a too long one fails the caller's transaction
    if (!fitsNotify(payload)) throw new Error(`NOTIFY ${channel}: payload of ${Buffer.byteLength(payload, 'utf8')} bytes over ${MAX_NOTIFY_PAYLOAD_BYTES}`);
    await (manager ?? this.db).query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  private poll(): Promise<void> {
    if (this.polling || this.stopped) return this.polling ?? Promise.resolve();
    this.polling = this.attempt()
      .catch((error: unknown) => this.drop(error instanceof Error ? error.message : String(error)))
      .finally(() => (this.polling = null));
    return this.polling;
  }

  private async attempt(): Promise<void> {
    const client = this.client ?? (await this.connect());
    if (this.isLeader()) {
      await withTimeout(client.query('SELECT 1'), Math.max(this.pollMs, 2000), 'leader session check');
      return;
    }
    const rows = await withTimeout(client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_CLASS, LOCK_ID]), Math.max(this.pollMs, 2000), 'lock attempt');
    if (rows.rows[0]?.ok === true) this.setLeader(true, 'took the lead');
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl, connectionTimeoutMillis: 5000, keepAlive: true, application_name: `wavewatch ${this.session}` });
    client.on('error', (error) => void this.drop(error.message));
    client.on('notification', (m) => this.messageSubject.next({ channel: m.channel as Channel, payload: m.payload ?? '' }));
    await client.connect();
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`);
    this.client = client;
    if (this.lastError) this.logger.log(`replica session to the database restored`);
    this.lastError = '';
    this.messageSubject.next({ channel: 'resync', payload: '' });
    return client;
  }

  private async drop(reason: string): Promise<void> {
    const client = this.client;
    this.client = null;
    if (this.isLeader() && this.shared) this.setLeader(false, `stepped down: ${reason}`);
    else if (reason !== this.lastError && !this.stopped) this.logger.warn(`replica session to the database failed: ${reason}`);
    this.lastError = reason;
    await client?.end().catch(() => undefined);
  }

  private setLeader(leader: boolean, why: string): void {
    if (leader === this.isLeader()) return;
    this.logger.log(`replica ${this.id} ${why}`);
    this.leaderGauge.set(leader ? 1 : 0);
    this.changes.inc();
    this.leaderSubject.next(leader);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
