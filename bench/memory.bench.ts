import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWriteRequestV1, snappyCompress } from '../src/ingest/remote-write.codec.js';
import { clusterScrape, SERIES_PER_CLUSTER } from './memory-payload.js';
import { startWavewatch } from './wavewatch-process.js';

// Memory per active series and per cluster of the real service (its own process): for each
// size a fresh wavewatch, idle figures, then SCRAPES remote_write scrapes of every series
// (15 s apart in sample time), then a forced full GC (bench/memory-gc-preload.ts, loaded only
// here) and the figures again; the delta over idle divided by series and by clusters.
// `npm run bench -- memory [sizes…]` (default 10000 100000 1000000). Embedded store in
// memory; PostgreSQL too when MEMORY_BENCH_DATABASE_URL names a database it may write to.

const MIB = 2 ** 20;
const SCRAPES = 3;
const CLUSTERS_PER_REQUEST = 50; // 7,500 series, ~0.4 MiB of protobuf per request
const HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly series: number;
  readonly clusters: number;
}

export interface MemoryBenchRow {
  readonly store: string;
  readonly series: number;
  readonly clusters: number;
  readonly idle: Memory;
  readonly loaded: Memory;
  readonly peakRss: number;
}

const status = (pid: number): string => readFileSync(`/proc/${pid}/status`, 'utf8');
const statusKiB = (pid: number, field: string): number =>
  Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status(pid))?.[1] ?? NaN) * 1024;

async function settledMemory(url: string, pid: number): Promise<Memory> {
  // two collections a second apart: array buffers are freed by a task after the first
  for (let i = 0; i < 2; i++) {
    process.kill(pid, 'SIGWINCH');
    await new Promise((r) => setTimeout(r, 1500));
  }
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string): number =>
    Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rss: statusKiB(pid, 'VmRSS'),
    heapUsed: read('nodejs_heap_size_used_bytes'),
    external: read('nodejs_external_memory_bytes'),
    series: read('wavewatch_signal_active_series'),
    clusters: read('wavewatch_signal_clusters'),
  };
}

async function measure(
  store: string,
  env: Record<string, string>,
  series: number,
): Promise<MemoryBenchRow> {
  const clusters = Math.ceil(series / SERIES_PER_CLUSTER);
  const dir = mkdtempSync(join(tmpdir(), 'wavewatch-memory-bench-'));
  const pidFile = join(dir, 'pid');
  // bounds raised here, not in the defaults: 1M series of 6,667 clusters fits them anyway
  writeFileSync(
    join(dir, 'config.yaml'),
    `ingest:\n  maxActiveSeries: ${Math.max(2_000_000, series * 2)}\n  maxClusters: ${Math.max(10_000, clusters * 2)}\n`,
  );
  const preload = fileURLToPath(new URL('./memory-gc-preload.js', import.meta.url));
  const app = await startWavewatch({
    ...env,
    WAVEWATCH_CONFIG: join(dir, 'config.yaml'),
    WAVEWATCH_BENCH_PID_FILE: pidFile,
    NODE_OPTIONS: `--import=${preload}`,
  });
  try {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 3000));
    const idle = await settledMemory(app.url, pid);
    const t0 = Date.now() - 5 * 60_000;
    for (let scrape = 0; scrape < SCRAPES; scrape++) {
      for (let from = 0; from < clusters; from += CLUSTERS_PER_REQUEST) {
        const body = snappyCompress(
          encodeWriteRequestV1(
            clusterScrape(
              from,
              Math.min(clusters, from + CLUSTERS_PER_REQUEST),
              t0 + scrape * 15_000,
              scrape,
            ),
          ),
        );
        const res = await fetch(`${app.url}/api/v1/write`, {
          method: 'POST',
          headers: { ...HEADERS, Authorization: `Bearer ${app.token}` },
          body,
        });
        if (res.status >= 300)
          throw new Error(`remote_write answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }
    await new Promise((r) => setTimeout(r, 3000));
    const loaded = await settledMemory(app.url, pid);
    return {
      store,
      series: loaded.series,
      clusters: loaded.clusters,
      idle,
      loaded,
      peakRss: statusKiB(pid, 'VmHWM'),
    };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mib = (b: number): string => `${Math.round(b / MIB)} MiB`;
const per = (b: number, n: number): string =>
  n > 0 ? `${Math.round(b / n).toLocaleString('en')} B` : '-';

export function printMemoryBench(rows: readonly MemoryBenchRow[]): void {
  console.log(
    `memory bench: ${SERIES_PER_CLUSTER} wanted series per cluster (apiserver + CoreDNS, histograms), ${SCRAPES} scrapes, after a forced GC; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    '| store | active series | clusters | idle RSS | RSS | peak RSS | RSS per series | heap+external per series | RSS per cluster |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const rss = r.loaded.rss - r.idle.rss;
    const js = r.loaded.heapUsed + r.loaded.external - r.idle.heapUsed - r.idle.external;
    console.log(
      `| ${r.store} | ${r.series.toLocaleString('en')} | ${r.clusters.toLocaleString('en')} | ${mib(r.idle.rss)} | ${mib(r.loaded.rss)} | ${mib(r.peakRss)} | ${per(rss, r.series)} | ${per(js, r.series)} | ${per(rss, r.clusters)} |`,
    );
  }
}

export async function runMemoryBench(
  sizes: readonly number[] = [10_000, 100_000, 1_000_000],
): Promise<MemoryBenchRow[]> {
  const stores: Array<[string, Record<string, string>]> = [['embedded', {}]];
  const url = process.env.MEMORY_BENCH_DATABASE_URL;
  if (url) stores.push(['PostgreSQL', { DATABASE_URL: url }]);
  const rows: MemoryBenchRow[] = [];
  for (const [store, env] of stores)
    for (const series of sizes) rows.push(await measure(store, env, series));
  return rows;
}
