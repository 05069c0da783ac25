import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config/load-config.js';
import { SignalStore } from '../src/signals/signal-store.js';
import { signalStoreOptions } from '../src/signals/signal-store.options.js';
import type { RawSeries } from '../src/signals/signal.types.js';
import { startWavewatch } from './wavewatch-process.js';

// Resident memory of the real service (its own process, embedded store) before and after
// one text import naming 20,000 invented clusters, each with one apiserver_request_total
// series; a second import 15 s later gives every series a rate, so each cluster holds
// signal points. `npm run bench -- clusters [maxClusters] [path/to/other/build/src/main.js]`.
// Then, in this process with forced GCs, the signal store's own heap per cluster.

const MIB = 2 ** 20;
const CLUSTERS = 20_000;

interface Gauges {
  readonly rss: number;
  readonly heap: number;
  readonly clusters: number;
  readonly windowBytes: number;
}

async function gauges(url: string): Promise<Gauges> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string): number => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rss: read('process_resident_memory_bytes') || read('wavewatch_process_process_resident_memory_bytes'),
    heap: read('nodejs_heap_size_used_bytes') || read('wavewatch_process_nodejs_heap_size_used_bytes'),
    clusters: read('wavewatch_signal_clusters'),
    windowBytes: read('wavewatch_signal_window_bytes'),
  };
}

function importBody(t: number, scrape: number): string {
  const lines: string[] = [];
  for (let i = 0; i < CLUSTERS; i++) lines.push(`apiserver_request_total{cluster="invented-${i}",code="200",instance="10.0.0.1:6443",verb="GET"} ${10 * scrape + i} ${t}`);
  return lines.join('\n') + '\n';
}

export async function runClustersBench(maxClusters = 10_000, main?: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wavewatch-clusters-bench-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `ingest:\n  maxClusters: ${maxClusters}\n`);
  const app = await startWavewatch({ WAVEWATCH_CONFIG: config }, ...(main ? [main] : []));
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const before = await gauges(app.url);
    const t0 = Date.now() - 60_000;
    const rows: string[] = [];
    for (const [scrape, t] of [[0, t0], [1, t0 + 15_000], [2, t0 + 30_000]] as const) {
      const body = importBody(t, scrape);
      const res = await fetch(`${app.url}/api/v1/import/prometheus`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${app.token}` }, body });
      if (res.status !== 204) throw new Error(`import answered ${res.status}: ${await res.text()}`);
      await new Promise((r) => setTimeout(r, 2000));
      const after = await gauges(app.url);
      const clusters = after.clusters || CLUSTERS;
      rows.push(
        `after import ${scrape + 1} (${(body.length / MIB).toFixed(1)} MiB): rss ${Math.round(after.rss / MIB)} MiB (+${Math.round((after.rss - before.rss) / MIB)}), ` +
          `heap ${Math.round(after.heap / MIB)} MiB (+${Math.round((after.heap - before.heap) / MIB)}), clusters ${after.clusters}, ` +
          `heap per cluster ${Math.round((after.heap - before.heap) / clusters)} B, signal windows per cluster ${Math.round(after.windowBytes / clusters)} B`,
      );
    }
    console.log(`clusters bench (${main ?? 'this build'}, ingest.maxClusters=${maxClusters}, ${CLUSTERS} invented clusters × 1 series)`);
    console.log(`  before: rss ${Math.round(before.rss / MIB)} MiB, heap ${Math.round(before.heap / MIB)} MiB`);
    for (const row of rows) console.log(`  ${row}`);
  } finally {
    await app.stop();
  }
  if (!main) storeHeapPerCluster();
}

/** heap bytes one cluster with one series costs the signal store, measured between forced GCs */
function storeHeapPerCluster(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const config = loadConfig({});
  const store = new SignalStore({ ...signalStoreOptions(config), maxClusters: CLUSTERS });
  const t0 = Date.now() - 10 * 60_000;
  const batch = (scrape: number): RawSeries[] =>
    Array.from({ length: CLUSTERS }, (_, i) => ({
      labels: [
        { name: '__name__', value: 'apiserver_request_total' },
        { name: 'cluster', value: `invented-${i}` },
        { name: 'code', value: '200' },
        { name: 'instance', value: '10.0.0.1:6443' },
        { name: 'verb', value: 'GET' },
      ],
      samples: [{ timestampMs: t0 + scrape * 15_000, value: 10 * scrape + i }],
    }));
  // typed arrays' backing stores live outside the V8 heap: count them too
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().external;
  gc();
  const before = used();
  const row = (what: string): string => {
    gc();
    const heap = used() - before;
    return `${what}: ${Math.round(heap / CLUSTERS)} B per cluster (${Math.round(store.windowBytes() / CLUSTERS)} B of it signal windows)`;
  };
  store.append(batch(0));
  const rows = [row('one sample')];
  for (let s = 1; s < 40; s++) store.append(batch(s));
  rows.push(row('40 scrapes (10 min)'));
  for (let s = 40; s < 800; s++) store.append(batch(s));
  rows.push(row('800 scrapes (3 h 20 min, full window)'));
  console.log(`signal store heap + external, ${CLUSTERS} clusters × 1 series (labels included, forced GC):`);
  for (const r of rows) console.log(`  ${r}`);
}
