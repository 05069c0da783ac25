import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { METRICS_REGISTRY } from '../../ops/metrics.tokens.js';
import { CHANNELS, ReplicaCoordinator } from '../../replicas/replica-coordinator.js';
import { SignalStore, type FinalPoint } from '../signal-store.js';

/** what the database held at start */
export interface RestoredHistory {
  readonly clusters: number;
  readonly points: number;
  /** end of the newest restored step, ms */
  readonly watermarkMs: number;
  /** the newest point was written as it happened (live), not while replaying history */
  readonly live: boolean;
  /** wall time the newest point was written, ms */
  readonly writtenAtMs: number;
}

interface PointRow {
  cluster: string;
  ms: number | string;
  signal_values: Record<string, number>;
  written_ms: number | string;
}

interface ForeignRow {
  cluster: string;
  ms: number | string;
  json: string;
  written_ms: number | string;
  written_at: string;
}

/** what a read of the other replicas' points brought */
export interface ImportedPoints {
  readonly points: number;
  /** some rows were written since the previous read (not only the overlap read again) */
  readonly fresh: boolean;
}

const ROWS_PER_INSERT = 2000;
const ROWS_PER_READ = 5000;
/**
 * Other replicas' points are read again this far back in write time: an INSERT's written_at is
 * its transaction's start, so a slow statement commits rows older than ones already read.
 */
const IMPORT_OVERLAP_MS = 5000;
/** written within this of its event time: the point was live */
export const LIVE_LAG_MS = 5 * 60_000;

// Final signal points survive a restart: the evaluation loop writes every newly finished step
// (one row per cluster and step, all signals in it) before it evaluates, and the window is
// loaded back into the signal store at start. Raw samples are never stored.
@Injectable()
export class SignalHistory implements OnModuleInit {
  private readonly logger = new Logger('signal-history');
  /** per cluster: steps before this are in the database */
  private readonly persistedBefore = new Map<string, number>();
  private readonly windowMs: number;
  private restoredHistory: RestoredHistory | null = null;
  private nextPruneMs = -Infinity;
  private writing: Promise<unknown> = Promise.resolve();
  /** other replicas' points written after this (database time, ms) are not read yet */
  private importedAfterMs = -Infinity;
  /** database time at the start of the previous read (or of the load at start), ms */
  private previousReadDbMs = -Infinity;
  /** clusters this replica wrote itself: wall time of the last write */
  private readonly ownWrites = new Map<string, number>();
  /**
   * points read within the overlap (cluster, step, written_at → written_at): each is read about
   * once a second for IMPORT_OVERLAP_MS; restoring it each time cost the follower ~5× the work
   * (bench/replicas.bench.ts). A row rewritten later has a new written_at and is read again.
   */
  private readonly recentlyImported = new Map<string, number>();
  private readonly foreignReadSeconds: Histogram;
  private readonly foreignRows: Counter;

  constructor(
    private readonly store: SignalStore,
    private readonly db: DataSource,
    private readonly replicas: ReplicaCoordinator,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.windowMs = config.signals.windowSeconds * 1000;
    this.foreignReadSeconds = new Histogram({
      name: 'wavewatch_replica_point_read_seconds',
      help: "Time of one read of the other replicas' new signal points into this replica's signal windows (about once a second).",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.foreignRows = new Counter({ name: 'wavewatch_replica_point_rows_read_total', help: "Signal point rows read from the other replicas (each read re-reads the last 5 s of writes).", registers: [registry] });
  }

  async onModuleInit(): Promise<void> {
    this.restoredHistory = await this.load();
    const r = this.restoredHistory;
    if (r) this.logger.log(`restored ${r.points} signal steps of ${r.clusters} clusters up to ${new Date(r.watermarkMs).toISOString()} (${r.live ? 'live' : 'replayed history'})`);
  }

  restored(): RestoredHistory | null {
    return this.restoredHistory;
  }

  /** writes the steps that became final since the last call; calls run one after another */
  flush(): Promise<void> {
    return this.serial(() => this.write());
  }

  /**
   * Loads the final points other replicas wrote since the last call into the signal store, so
   * push can be sharded by cluster over replicas and every replica sees the whole fleet.
   */
  importForeign(): Promise<ImportedPoints> {
    if (!this.replicas.shared) return Promise.resolve({ points: 0, fresh: false });
    return this.serial(() => this.readForeign());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writing.catch(() => undefined).then(work);
    this.writing = next;
    return next;
  }

  private async readForeign(): Promise<ImportedPoints> {
    const end = this.foreignReadSeconds.startTimer();
    const byCluster = new Map<string, FinalPoint[]>();
    let points = 0;
    let rowsRead = 0;
    const readAfterMs = this.importedAfterMs;
    let newestWritten = this.importedAfterMs;
    // A row not read yet was written after the newest one read, or committed late: its
    // transaction started at most IMPORT_OVERLAP_MS before the previous read. Once the others
    // stop writing the bound stops at the newest row instead of re-reading its last 5 s each second.
    const fromMs = Math.min(this.importedAfterMs, this.previousReadDbMs - IMPORT_OVERLAP_MS);
    this.previousReadDbMs = await this.databaseNowMs();
    let after = { written: new Date(fromMs === -Infinity ? 0 : fromMs).toISOString(), cluster: '', at: new Date(0).toISOString() };
    for (;;) {
      // signal_values as text: a row read again in the overlap is recognised and never parsed twice
      const rows = await this.db.query<ForeignRow[]>(
        `SELECT "cluster", (extract(epoch from "step_at") * 1000)::float8 AS "ms", "signal_values"::text AS "json", (extract(epoch from "written_at") * 1000)::float8 AS "written_ms", "written_at"::text AS "written_at"
         FROM "signal_points" WHERE "writer" <> $1 AND ("written_at", "cluster", "step_at") > ($2::timestamptz, $3, $4::timestamptz)
         ORDER BY "written_at", "cluster", "step_at" LIMIT ${ROWS_PER_READ}`,
        [this.replicas.id, after.written, after.cluster, after.at],
      );
      for (const row of rows) {
        const ms = Number(row.ms);
        const written = Number(row.written_ms);
        newestWritten = Math.max(newestWritten, written);
        rowsRead++;
        const key = `${row.cluster}\u0000${ms}\u0000${written}`;
        if (this.recentlyImported.has(key)) continue;
        this.recentlyImported.set(key, written);
        let list = byCluster.get(row.cluster);
        if (!list) byCluster.set(row.cluster, (list = []));
        list.push({ stepMs: ms, values: JSON.parse(row.json) as Record<string, number> });
        points++;
      }
      if (rows.length < ROWS_PER_READ) break;
      const last = rows[rows.length - 1]!;
      after = { written: last.written_at, cluster: last.cluster, at: new Date(Number(last.ms)).toISOString() };
    }
    const stepMs = this.store.stepMs;
    const now = Date.now();
    for (const [cluster, list] of byCluster) {
      list.sort((a, b) => a.stepMs - b.stepMs);
      this.store.restoreFinalSteps(cluster, list);
      const end = list[list.length - 1]!.stepMs + stepMs;
      // what came from elsewhere is not written again under this replica's name
      this.persistedBefore.set(cluster, Math.max(this.persistedBefore.get(cluster) ?? -Infinity, end / stepMs));
      if (now - (this.ownWrites.get(cluster) ?? -Infinity) < LIVE_LAG_MS) this.replicas.noteSharedCluster(list.length);
    }
    this.importedAfterMs = newestWritten;
    const nextFromMs = Math.min(newestWritten, this.previousReadDbMs - IMPORT_OVERLAP_MS);
    for (const [key, written] of this.recentlyImported) if (written < nextFromMs) this.recentlyImported.delete(key);
    this.foreignRows.inc(rowsRead);
    end();
    return { points, fresh: newestWritten > readAfterMs };
  }

  private async write(): Promise<void> {
    const stepMs = this.store.stepMs;
    const rows: { cluster: string; step_at: string; signal_values: Record<string, number> }[] = [];
    const done = new Map<string, number>();
    const present = new Set<string>();
    for (const info of this.store.clusters()) {
      present.add(info.name);
      const end = Math.floor((info.completeBeforeMs ?? 0) / stepMs);
      const from = Math.max(this.persistedBefore.get(info.name) ?? -Infinity, end - Math.ceil(this.windowMs / stepMs));
      if (!(end > from)) continue;
      const columns = info.signals.map((s) => [s, this.store.values(info.name, s, from * stepMs, (end - 1) * stepMs)] as const);
      for (let i = 0; i < end - from; i++) {
        const values: Record<string, number> = {};
        let any = false;
        for (const [s, v] of columns) {
          const x = v[i]!;
          if (Number.isFinite(x)) {
            values[s] = x;
            any = true;
          }
        }
        if (any) rows.push({ cluster: info.name, step_at: new Date((from + i) * stepMs).toISOString(), signal_values: values });
      }
      done.set(info.name, end);
    }
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      // two replicas fed the same cluster write the same (cluster, step): the last writer wins
      await this.db.query(
        `INSERT INTO "signal_points" ("cluster", "step_at", "signal_values", "writer")
         SELECT r.cluster, r.step_at, r.signal_values, $2 FROM jsonb_to_recordset($1::jsonb) AS r(cluster text, step_at timestamptz, signal_values jsonb)
         ON CONFLICT ("cluster", "step_at") DO UPDATE SET "signal_values" = EXCLUDED."signal_values", "written_at" = now(), "writer" = EXCLUDED."writer"`,
        [JSON.stringify(rows.slice(i, i + ROWS_PER_INSERT)), this.replicas.id],
      );
    }
    const now = Date.now();
    for (const [cluster, end] of done) this.persistedBefore.set(cluster, end);
    for (const r of rows) this.ownWrites.set(r.cluster, now);
    // per-cluster marks follow the store: a cluster it forgot (left the window) frees them
    for (const cluster of this.persistedBefore.keys()) if (!present.has(cluster)) this.persistedBefore.delete(cluster);
    for (const [cluster, at] of this.ownWrites) if (now - at >= LIVE_LAG_MS) this.ownWrites.delete(cluster);
    if (rows.length > 0) await this.replicas.notify(CHANNELS.points);
    await this.prune();
  }

  /** drops points older than the window behind the newest sample, about once a minute of event time */
  private async prune(): Promise<void> {
    const watermark = this.store.watermarkMs();
    if (watermark === undefined || watermark < this.nextPruneMs) return;
    this.nextPruneMs = watermark + 60_000;
    await this.db.query(`DELETE FROM "signal_points" WHERE "step_at" < $1`, [new Date(watermark - this.windowMs).toISOString()]);
  }

  private async databaseNowMs(): Promise<number> {
    const rows = await this.db.query<{ ms: number | string }[]>(`SELECT (extract(epoch from now()) * 1000)::float8 AS "ms"`);
    return Number(rows[0]?.ms);
  }

  private async load(): Promise<RestoredHistory | null> {
    if (this.replicas.shared) this.previousReadDbMs = await this.databaseNowMs();
    const newest = await this.db.query<{ newest: Date | string | null }[]>(`SELECT max("step_at") AS "newest" FROM "signal_points"`);
    const newestAt = newest[0]?.newest;
    if (newestAt === null || newestAt === undefined) return null;
    const cutoff = new Date(new Date(newestAt).getTime() - this.windowMs).toISOString();
    const stepMs = this.store.stepMs;
    let after: { cluster: string; at: string } = { cluster: '', at: cutoff };
    let current: string | null = null;
    let points: FinalPoint[] = [];
    let clusters = 0;
    let total = 0;
    let newestRow: PointRow | null = null;
    const restore = (): void => {
      if (current === null || points.length === 0) return;
      this.store.restoreFinalSteps(current, points);
      this.persistedBefore.set(current, Math.floor(points[points.length - 1]!.stepMs / stepMs) + 1);
      clusters++;
    };
    for (;;) {
      const rows = await this.db.query<PointRow[]>(
        `SELECT "cluster", (extract(epoch from "step_at") * 1000)::float8 AS "ms", "signal_values", (extract(epoch from "written_at") * 1000)::float8 AS "written_ms"
         FROM "signal_points" WHERE "step_at" >= $1 AND ("cluster", "step_at") > ($2, $3::timestamptz)
         ORDER BY "cluster", "step_at" LIMIT ${ROWS_PER_READ}`,
        [cutoff, after.cluster, after.at],
      );
      for (const row of rows) {
        if (row.cluster !== current) {
          restore();
          current = row.cluster;
          points = [];
        }
        const ms = Number(row.ms);
        points.push({ stepMs: ms, values: row.signal_values });
        if (!newestRow || ms > Number(newestRow.ms)) newestRow = row;
        this.importedAfterMs = Math.max(this.importedAfterMs, Number(row.written_ms));
        total++;
      }
      if (rows.length < ROWS_PER_READ) break;
      const last = rows[rows.length - 1]!;
      after = { cluster: last.cluster, at: new Date(Number(last.ms)).toISOString() };
    }
    restore();
    if (!newestRow) return null;
    const newestMs = Number(newestRow.ms);
    const writtenAtMs = Number(newestRow.written_ms);
    return { clusters, points: total, watermarkMs: newestMs + stepMs, live: writtenAtMs - newestMs <= LIVE_LAG_MS, writtenAtMs };
  }
}
