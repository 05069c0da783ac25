import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { LabelPair, RawSeries } from '../src/signals/signal.types.js';
import { startReplica, status, write, type Replica } from '../test/support/replica-fleet.js';

// `npm run bench -- replicas` (REPLICAS_BENCH_CLUSTERS=1000,10000, REPLICAS_BENCH_STEPS=20,
// REPLICAS_BENCH_IDLE_SECONDS=60): two real wavewatch processes on a fresh PostgreSQL
// database, remote_write of N clusters split between them (10 apiserver/CoreDNS series per
// cluster, event time an hour old, replayed as fast as both keep up). Per size: the leader's
// published result (JSON and stored size), the leader's publish and the follower's load per
// pass (their own histograms), how long after the publication the follower shows the step,
// the once-a-second reads of the other replica's points, CPU over an idle minute of each
// replica and of one process alone on the same database, and RSS.

const STEP_MS = 15_000;
const SIZES = (process.env.REPLICAS_BENCH_CLUSTERS ?? '1000,10000').split(',').map(Number);
const STEPS = Number(process.env.REPLICAS_BENCH_STEPS ?? 20);
const IDLE_SECONDS = Number(process.env.REPLICAS_BENCH_IDLE_SECONDS ?? 60);
const SERIES_PER_REQUEST = 20_000;
const CLK_TCK = 100;

export interface ReplicasBenchRow {
  clusters: number;
  resultJsonKb: number;
  storedKb: number;
  passes: number;
  publishMs: number;
  readMs: number;
  /** publication (database clock) → the follower's /api/v1/evaluation shows the step, median and max */
  followerLagMs: [number, number];
  /** mean ms of one read of the other replica's points, leader / follower */
  pointReadMs: [number, number];
  pointRowsPerStep: [number, number];
  ingestCpuPerStep: [number, number];
  /** CPU % of one core over the idle period: leader, follower, one process alone */
  idleCpu: [number, number, number];
  rssMb: [number, number, number];
  aloneStartSeconds: number;
}

type Kind = 'counter' | 'gauge';
interface Shape {
  name: string;
  extra: Record<string, string>;
  kind: Kind;
  perSecond: number;
}
const SHAPES: Shape[] = [
  { name: 'apiserver_request_total', extra: { verb: 'GET', code: '200', resource: 'pods' }, kind: 'counter', perSecond: 40 },
  { name: 'apiserver_request_total', extra: { verb: 'LIST', code: '200', resource: 'pods' }, kind: 'counter', perSecond: 8 },
  { name: 'apiserver_request_total', extra: { verb: 'WATCH', code: '200', resource: 'pods' }, kind: 'counter', perSecond: 2 },
  { name: 'apiserver_request_total', extra: { verb: 'LIST', code: '429', resource: 'pods' }, kind: 'counter', perSecond: 0.01 },
  { name: 'apiserver_current_inflight_requests', extra: { request_kind: 'readOnly' }, kind: 'gauge', perSecond: 6 },
  { name: 'apiserver_storage_objects', extra: { resource: 'nodes' }, kind: 'gauge', perSecond: 200 },
  { name: 'coredns_dns_responses_total', extra: { rcode: 'NOERROR' }, kind: 'counter', perSecond: 400 },
  { name: 'coredns_dns_responses_total', extra: { rcode: 'SERVFAIL' }, kind: 'counter', perSecond: 0.2 },
  { name: 'coredns_cache_hits_total', extra: {}, kind: 'counter', perSecond: 320 },
  { name: 'coredns_cache_requests_total', extra: {}, kind: 'counter', perSecond: 400 },
];

function fleetLabels(clusters: number): LabelPair[][] {
  const out: LabelPair[][] = [];
  for (let c = 0; c < clusters; c++) {
    for (const s of SHAPES) {
      const job = s.name.startsWith('coredns') ? 'coredns' : 'apiserver';
      const labels = { __name__: s.name, cluster: `c-${String(c).padStart(5, '0')}`, job, instance: `${job}-0`, ...s.extra };
      out.push(Object.keys(labels).sort().map((name) => ({ name, value: labels[name as keyof typeof labels] })));
    }
  }
  return out;
}

function tick(labels: LabelPair[][], from: number, to: number, atMs: number, t0: number): RawSeries[] {
  const out: RawSeries[] = [];
  for (let i = from; i < to; i++) {
    const s = SHAPES[i % SHAPES.length]!;
    const value = s.kind === 'counter' ? s.perSecond * ((atMs - t0) / 1000 + 1) : s.perSecond;
    out.push({ labels: labels[i]!, samples: [{ value, timestampMs: atMs }] });
  }
  return out;
}

async function push(r: Replica, labels: LabelPair[][], from: number, to: number, atMs: number, t0: number): Promise<void> {
  for (let i = from; i < to; i += SERIES_PER_REQUEST) await write(r, tick(labels, i, Math.min(to, i + SERIES_PER_REQUEST), atMs, t0));
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

async function metric(r: Replica, name: string): Promise<number> {
  const res = await fetch(`${r.process.url}/metrics`, { headers: { Authorization: `Bearer ${r.process.token}` } });
  const text = await res.text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function idleCpu(pids: number[]): Promise<number[]> {
  const before = pids.map(cpuSeconds);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  return pids.map((pid, i) => Math.round(((cpuSeconds(pid) - before[i]!) / IDLE_SECONDS) * 1000) / 10);
}

async function waitFor<T>(seconds: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

async function withDatabase<T>(clusters: number, work: (url: string, admin: pg.Client) => Promise<T>): Promise<T> {
  const base = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const name = `ww_scale_${clusters}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await db.connect();
    return await work(url.toString(), db);
  } finally {
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
/** mean of a histogram, ms */
const meanMs = async (r: Replica, name: string, labels = ''): Promise<number> =>
  Math.round(((await metric(r, `${name}_sum${labels}`)) / Math.max(1, await metric(r, `${name}_count${labels}`))) * 10_000) / 10;

async function benchSize(clusters: number): Promise<ReplicasBenchRow> {
  return withDatabase(clusters, async (databaseUrl, db) => {
    const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', WAVEWATCH_LEADER_POLL_SECONDS: '2' };
    const leader = await startReplica('bench-a', env);
    const follower = await startReplica('bench-b', env);
    const started: Replica[] = [leader, follower];
    try {
      const labels = fleetLabels(clusters);
      const half = Math.floor(clusters / 2) * SHAPES.length;
      const t0 = Math.floor((Date.now() - 3_600_000) / STEP_MS) * STEP_MS;
      const lags: number[] = [];
      const cpu0 = [cpuSeconds(leader.process.pid), cpuSeconds(follower.process.pid)];
      let through: string | null = null;
      for (let k = 0; k < STEPS; k++) {
        const atMs = t0 + k * STEP_MS;
        await Promise.all([push(leader, labels, 0, half, atMs, t0), push(follower, labels, half, labels.length, atMs, t0)]);
        const next = await waitFor(30, async () => {
          const s = await status(leader);
          return s.evaluatedThrough !== through ? s.evaluatedThrough : undefined;
        });
        if (next === undefined) continue;
        through = next;
        const shown = await waitFor(30, async () => {
          const s = (await status(follower)) as Awaited<ReturnType<typeof status>> & { replica: { publishedAt: string | null } };
          return s.evaluatedThrough === through && s.replica.publishedAt ? Date.now() - Date.parse(s.replica.publishedAt) : undefined;
        });
        if (shown !== undefined) lags.push(shown);
      }
      const ingestCpu = [cpuSeconds(leader.process.pid) - cpu0[0]!, cpuSeconds(follower.process.pid) - cpu0[1]!].map((x) => Math.round((x / STEPS) * 1000)) as [number, number];
      const size = await db.query<{ stored: number; text: number }>(`SELECT pg_column_size("result") AS stored, octet_length("result"::text) AS text FROM "evaluation_state" WHERE "id" = 1`);
      const rows = (r: Replica): Promise<number> => metric(r, 'wavewatch_replica_point_rows_read_total');
      const row: Omit<ReplicasBenchRow, 'idleCpu' | 'rssMb' | 'aloneStartSeconds'> = {
        clusters,
        resultJsonKb: Math.round((await metric(leader, 'wavewatch_replica_evaluation_result_bytes')) / 1024),
        storedKb: Math.round(Number(size.rows[0]?.stored ?? 0) / 1024),
        passes: await metric(leader, 'wavewatch_replica_evaluation_seconds_count{op="publish"}'),
        publishMs: await meanMs(leader, 'wavewatch_replica_evaluation_seconds', '{op="publish"}'),
        readMs: await meanMs(follower, 'wavewatch_replica_evaluation_seconds', '{op="read"}'),
        followerLagMs: [median(lags), Math.max(...lags)],
        pointReadMs: [await meanMs(leader, 'wavewatch_replica_point_read_seconds'), await meanMs(follower, 'wavewatch_replica_point_read_seconds')],
        pointRowsPerStep: [Math.round((await rows(leader)) / STEPS), Math.round((await rows(follower)) / STEPS)],
        ingestCpuPerStep: ingestCpu,
      };
      const [idleLeader, idleFollower] = await idleCpu([leader.process.pid, follower.process.pid]);
      const rss = [rssMb(leader.process.pid), rssMb(follower.process.pid)];
      await Promise.all(started.map((r) => r.process.stop()));
      started.length = 0;
      const t = performance.now();
      const alone = await startReplica('bench-alone', env);
      started.push(alone);
      const aloneStartSeconds = Math.round((performance.now() - t) / 100) / 10;
      const [idleAlone] = await idleCpu([alone.process.pid]);
      return { ...row, idleCpu: [idleLeader!, idleFollower!, idleAlone!], rssMb: [rss[0]!, rss[1]!, rssMb(alone.process.pid)], aloneStartSeconds };
    } finally {
      await Promise.all(started.map((r) => r.process.stop()));
    }
  });
}

function printRow(r: ReplicasBenchRow): void {
  console.log(
    `| ${r.clusters.toLocaleString('en')} | ${r.resultJsonKb} | ${r.storedKb} | ${r.passes} | ${r.publishMs} | ${r.readMs} | ${r.followerLagMs.join(' / ')} | ${r.pointReadMs.join(' / ')} | ${r.pointRowsPerStep.join(' / ')} | ${r.ingestCpuPerStep.join(' / ')} | ${r.idleCpu.join(' / ')} | ${r.rssMb.join(' / ')} | ${r.aloneStartSeconds} |`,
  );
}

export async function runReplicasBench(): Promise<ReplicasBenchRow[]> {
  console.log(`\nreplicas: 2 processes on one PostgreSQL, ${SHAPES.length} series per cluster split between them, ${STEPS} steps; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('| clusters | result JSON KB | stored KB | passes | publish ms/pass | follower load ms | follower shows it after ms (median / max) | point read ms (leader / follower) | point rows read/step | ingest CPU ms/step (leader / follower) | idle CPU % (leader / follower / alone) | RSS MB (leader / follower / alone) | alone start s |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const rows: ReplicasBenchRow[] = [];
  for (const clusters of SIZES) {
    rows.push(await benchSize(clusters));
    printRow(rows[rows.length - 1]!);
  }
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  return rows;
}
