import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { StoreLoader } from '../scenarios/store-loader.js';
import { analysisConfigFrom } from '../src/analysis/analysis-config.js';
import { Analyzer } from '../src/analysis/analyzer.js';
import { configSchema } from '../src/config/config.schema.js';
import { SignalStore } from '../src/signals/signal-store.js';
import { signalStoreOptions } from '../src/signals/signal-store.options.js';
import type { LabelPair } from '../src/signals/signal.types.js';
import { applyBatch } from '../src/sources/prometheus/pull-fetcher.js';
import { PullSource } from '../src/sources/prometheus/pull-source.js';
import { startVictoriaMetrics, victoriaMetricsAvailable } from './victoria-metrics-process.js';

// `npm run bench -- pull`: pull mode against VictoriaMetrics 1.79 holding a simulated fleet of
// 100, 1,000 and 10,000 clusters (18 apiserver/CoreDNS series each, 15 s scrapes). Per live
// step: the range queries (one per catalog term, fleet-wide), reducing their answers into
// signal points, the analysis over the whole fleet, wavewatch's heap, and the CPU the store
// spent answering (from /proc/<pid>/stat).

const STEP_MS = 15_000;
const HISTORY_TICKS = 24;
const MEASURED_STEPS = 5;
const SIZES = (process.env.PULL_BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);

export interface PullBenchRow {
  clusters: number;
  series: number;
  loadSeconds: number;
  backfillSeconds: number;
  queriesPerStep: number;
  queryMs: number;
  reduceMs: number;
  analysisMs: number;
  /** wall time of the whole step: queries, reduction, analysis */
  stepMs: number;
  heapMb: number;
  rssMb: number;
  storeCpuSeconds: number;
  /** wavewatch's own CPU per step (queries' client side, reduction, analysis) */
  ownCpuMs: number;
}

type Series = { labels: readonly LabelPair[]; kind: 'counter' | 'gauge'; rate: number };

function clusterSeries(cluster: string, i: number): Series[] {
  const nodes = 50 + ((i * 7919) % 1500);
  const base = (name: string, extra: Record<string, string>, job: string): LabelPair[] =>
    Object.entries({ __name__: name, cluster, instance: `${job}-0`, job, ...extra })
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([n, value]) => ({ name: n, value }));
  const api = (name: string, extra: Record<string, string>, kind: Series['kind'], rate: number): Series => ({ labels: base(name, extra, 'apiserver'), kind, rate });
  const dns = (name: string, extra: Record<string, string>, rate: number): Series => ({ labels: base(name, extra, 'coredns'), kind: 'counter', rate });
  return [
    api('apiserver_request_total', { code: '200', verb: 'LIST', resource: 'pods' }, 'counter', nodes * 0.05),
    api('apiserver_request_total', { code: '200', verb: 'GET', resource: 'pods' }, 'counter', nodes * 0.2),
    api('apiserver_request_total', { code: '200', verb: 'WATCH', resource: 'pods' }, 'counter', nodes * 0.01),
    api('apiserver_request_total', { code: '429', verb: 'LIST', resource: 'pods' }, 'counter', 0.01),
    api('apiserver_request_duration_seconds_sum', { verb: 'LIST', resource: 'pods' }, 'counter', nodes * 0.01),
    ...['0.1', '0.5', '1', '+Inf'].map((le, b) =>
      api('apiserver_request_duration_seconds_bucket', { verb: 'LIST', resource: 'pods', le }, 'counter', nodes * 0.05 * (0.9 + 0.1 * (b / 3)))),
    api('apiserver_current_inflight_requests', { request_kind: 'readOnly' }, 'gauge', 5 + (i % 7)),
    api('apiserver_current_inflight_requests', { request_kind: 'mutating' }, 'gauge', 2),
    api('apiserver_storage_objects', { resource: 'nodes' }, 'gauge', nodes),
    dns('coredns_dns_responses_total', { rcode: 'NOERROR' }, nodes * 2),
    dns('coredns_dns_responses_total', { rcode: 'SERVFAIL' }, 0.001 * nodes),
    dns('coredns_cache_hits_total', {}, nodes * 1.6),
    dns('coredns_cache_requests_total', {}, nodes * 2),
  ];
}

async function load(url: string, series: Series[], t0: number): Promise<number> {
  const loader = new StoreLoader(`${url}/api/v1/write`, 20_000);
  const labels = series.map((s) => s.labels);
  for (let tick = 0; tick < HISTORY_TICKS; tick++) {
    const atMs = t0 + tick * STEP_MS;
    const values = Float64Array.from(series, (s) => (s.kind === 'counter' ? s.rate * (atMs - t0 + 1000) / 1000 : s.rate));
    await loader.add({ kind: 'scrape', atMs, labels, values });
  }
  await loader.flush();
  return loader.samples;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function benchSize(clusters: number): Promise<PullBenchRow> {
  const vm = await startVictoriaMetrics(['-search.maxUniqueTimeseries=10000000']);
  try {
    const series = Array.from({ length: clusters }, (_, i) => clusterSeries(`cluster-${String(i).padStart(5, '0')}`, i)).flat();
    // whole steps, an hour old: VictoriaMetrics' latency offset does not apply
    const t0 = Math.floor((Date.now() - 3_600_000) / STEP_MS) * STEP_MS;
    let started = performance.now();
    await load(vm.url, series, t0);
    await vm.flush();
    const loadSeconds = (performance.now() - started) / 1000;

    const config = configSchema.parse({ sources: { prometheus: { url: vm.url, queryTimeoutSeconds: 60 } } });
    const store = new SignalStore(signalStoreOptions(config));
    const pull = new PullSource(config, config.sources.prometheus!);
    const firstK = t0 / STEP_MS + 2;
    const lastK = t0 / STEP_MS + HISTORY_TICKS - 3;
    const backfillSteps = lastK - MEASURED_STEPS - firstK;
    started = performance.now();
    applyBatch(store, await pull.fetcher.fetch(firstK, backfillSteps), STEP_MS);
    const backfillSeconds = (performance.now() - started) / 1000;

    const analyzer = new Analyzer();
    const analysis = analysisConfigFrom(config);
    const query: number[] = [];
    const reduce: number[] = [];
    const evaluate: number[] = [];
    const total: number[] = [];
    const cpu: number[] = [];
    const own: number[] = [];
    for (let k = firstK + backfillSteps; k < firstK + backfillSteps + MEASURED_STEPS; k++) {
      const cpu0 = vm.cpuSeconds();
      const own0 = process.cpuUsage();
      const stepStarted = performance.now();
      const batch = await pull.fetcher.fetch(k, 1);
      cpu.push(vm.cpuSeconds() - cpu0);
      applyBatch(store, batch, STEP_MS);
      query.push(pull.fetcher.lastTimings.queryMs);
      reduce.push(pull.fetcher.lastTimings.reduceMs);
      const t = performance.now();
      const result = analyzer.evaluate({ reader: store, rollouts: [], config: analysis, nowMs: (k + 1) * STEP_MS });
      evaluate.push(performance.now() - t);
      total.push(performance.now() - stepStarted);
      const ownUsed = process.cpuUsage(own0);
      own.push((ownUsed.user + ownUsed.system) / 1000);
      if (result.clusters.length !== clusters) throw new Error(`analysis saw ${result.clusters.length} of ${clusters} clusters`);
    }
    const memory = process.memoryUsage();
    return {
      clusters,
      series: series.length,
      loadSeconds,
      backfillSeconds,
      queriesPerStep: pull.fetcher.queryCount,
      queryMs: median(query),
      reduceMs: median(reduce),
      analysisMs: median(evaluate),
      stepMs: median(total),
      heapMb: memory.heapUsed / 2 ** 20,
      rssMb: memory.rss / 2 ** 20,
      storeCpuSeconds: median(cpu),
      ownCpuMs: median(own),
    };
  } finally {
    await vm.stop();
  }
}

export async function runPullBench(): Promise<PullBenchRow[]> {
  if (!victoriaMetricsAvailable()) {
    console.log('pull bench skipped: /usr/bin/victoria-metrics not found');
    return [];
  }
  const rows: PullBenchRow[] = [];
  console.log(`pull mode against VictoriaMetrics 1.79 (${STEP_MS / 1000} s step, medians of ${MEASURED_STEPS} live steps; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  console.log('| clusters | raw series | queries/step | queries ms (last answer) | reduce ms | analysis ms | step total ms | wavewatch CPU ms/step | store CPU s/step | heap MB | RSS MB | load s | backfill s |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of SIZES) {
    const r = await benchSize(size);
    rows.push(r);
    console.log(
      `| ${r.clusters} | ${r.series} | ${r.queriesPerStep} | ${r.queryMs.toFixed(0)} | ${r.reduceMs.toFixed(0)} | ${r.analysisMs.toFixed(0)} | ${r.stepMs.toFixed(0)} | ` +
        `${r.ownCpuMs.toFixed(0)} | ${r.storeCpuSeconds.toFixed(2)} | ${r.heapMb.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.loadSeconds.toFixed(1)} | ${r.backfillSeconds.toFixed(1)} |`,
    );
  }
  return rows;
}
