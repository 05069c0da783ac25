import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWriteRequestV1, snappyCompress } from '../src/ingest/remote-write.codec.js';
import type { LabelPair } from '../src/signals/signal.types.js';
import { CONTROL_PLANE_MIX, controlPlaneSeriesLabels } from './ingest-control-plane-payload.js';
import { fleetRequest, fleetSeriesLabels, PAYLOAD_MIX, WANTED_SHARE } from './fleet-payload.js';
import { prometheusAvailable, startPrometheus } from './prometheus-process.js';
import { processCpuSeconds, startVictoriaMetrics, victoriaMetricsAvailable } from './victoria-metrics-process.js';
import { startWavewatch } from './wavewatch-process.js';

// Sends the same remote_write 1.0 requests to wavewatch, Prometheus 2.42's receiver and
// VictoriaMetrics 1.79 in one run and compares samples/s, on two payload mixes: every series
// of kube-apiserver and CoreDNS (what a user sends after relabelling remote_write down to
// them) and a fleet's scrape where a quarter of the series is wanted. The machine is shared,
// so only ratios within one run mean anything: rounds rotate between the receivers (and
// which goes first) so the noise falls on all alike. Every receiver first sees every series
// once (warm-up), then the timed rounds. The client runs on the same cores; its fetch is
// timed with the receiver, payload building is not. CPU seconds per receiver come from
// /proc/<pid>/stat (VictoriaMetrics and Prometheus use both cores, wavewatch its threads), and
// run-queue seconds (ready to run, waiting for a core) from each thread's schedstat: on a loaded
// machine a single-threaded receiver waits more for its one core.
// WAVEWATCH_BENCH_BASELINE=<other build>/src/main.js adds that build as a receiver, and
// WAVEWATCH_BENCH_WORKER_THREADS=1,2 this build with those ingest.workerThreads.

export interface IngestBenchOptions {
  readonly seriesPerRequest: number;
  readonly rounds: number;
  readonly concurrency: number;
}

export interface IngestBenchRow {
  readonly mix: string;
  readonly target: string;
  readonly requests: number;
  readonly samples: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
  readonly cpuSeconds: number;
  /** time its threads were ready to run but waited for a core (/proc/<pid>/task/<tid>/schedstat) */
  readonly runQueueSeconds: number;
  readonly failures: number;
}

const defaults: IngestBenchOptions = { seriesPerRequest: 2000, rounds: 40, concurrency: 4 };

const HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};

interface Request {
  readonly body: Buffer;
  readonly samples: number;
}

interface Mix {
  readonly name: string;
  readonly description: string;
  /** the series of one scrape */
  readonly labels: LabelPair[][];
}

function mixes(): Mix[] {
  return [
    { name: 'all-wanted', description: `apiserver + CoreDNS only, 4 clusters: ${CONTROL_PLANE_MIX}`, labels: controlPlaneSeriesLabels(4) },
    {
      name: 'fleet 25%',
      description: `${(WANTED_SHARE * 100).toFixed(0)}% series the catalog wants, 20 clusters; ${PAYLOAD_MIX}`,
      labels: fleetSeriesLabels(20_000, 20),
    },
  ];
}

function buildRequests(labels: readonly LabelPair[][], o: IngestBenchOptions): { warmUp: Request[]; rounds: Request[][] } {
  const groups: LabelPair[][][] = [];
  for (let i = 0; i < labels.length; i += o.seriesPerRequest) groups.push(labels.slice(i, i + o.seriesPerRequest));
  // Recent timestamps, one second apart per round: every receiver accepts them in order.
  const t0 = Date.now() - 30 * 60_000;
  const round = (r: number): Request[] => groups.map((g) => ({ body: snappyCompress(encodeWriteRequestV1(fleetRequest(g, t0 + r * 1000, r))), samples: g.length }));
  return { warmUp: round(0), rounds: Array.from({ length: o.rounds }, (_, r) => round(r + 1)) };
}

async function send(target: Target, requests: readonly Request[], concurrency: number): Promise<{ seconds: number; samples: number; failures: number; firstError?: string }> {
  let next = 0;
  let failures = 0;
  let samples = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next++]!;
      // a keep-alive connection the receiver closed while idle (between mixes) is retried once
      const post = (): Promise<Response> => fetch(`${target.url}/api/v1/write`, { method: 'POST', headers: target.headers, body: request.body });
      const res = await post().catch(post);
      if (res.status >= 300) {
        failures++;
        firstError ??= `${res.status} ${(await res.text()).slice(0, 200)}`;
      } else {
        samples += request.samples;
        await res.arrayBuffer();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, samples, failures, ...(firstError && { firstError }) };
}

interface Target {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly headers: Record<string, string>;
}

async function measure(mix: Mix, targets: readonly Target[], o: IngestBenchOptions): Promise<IngestBenchRow[]> {
  const { warmUp, rounds } = buildRequests(mix.labels, o);
  const bytes = warmUp.reduce((n, p) => n + p.body.length, 0) / warmUp.length;
  console.log(`\n[${mix.name}] ${mix.description}`);
  console.log(`  ${mix.labels.length.toLocaleString('en-US')} series per scrape in ${warmUp.length} requests of up to ${o.seriesPerRequest} series (average ${(bytes / 1024).toFixed(1)} KiB compressed), ${o.concurrency} in flight, ${o.rounds} timed rounds`);
  console.log(`  load average before: ${loadAverage()}`);
  for (const t of targets) {
    const warm = await send(t, warmUp, o.concurrency);
    if (warm.failures > 0) throw new Error(`${t.name} refused the warm-up: ${warm.firstError}`);
  }
  const totals = targets.map(() => ({ seconds: 0, samples: 0, failures: 0, cpu: 0, wait: 0 }));
  for (let r = 0; r < rounds.length; r++) {
    // rotate the order, and reverse it every other round, so no receiver always follows another
    const order = targets.map((_, i) => (i + r) % targets.length);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const t = targets[i]!;
      const total = totals[i]!;
      const cpuBefore = processCpuSeconds(t.pid);
      const waitBefore = runQueueSeconds(t.pid);
      const run = await send(t, rounds[r]!, o.concurrency);
      total.cpu += processCpuSeconds(t.pid) - cpuBefore;
      total.wait += runQueueSeconds(t.pid) - waitBefore;
      if (run.firstError && total.failures === 0) console.log(`  ${t.name}: first failed request: ${run.firstError}`);
      total.seconds += run.seconds;
      total.samples += run.samples;
      total.failures += run.failures;
    }
  }
  console.log(`  load average after:  ${loadAverage()}`);
  const requests = rounds.reduce((n, r) => n + r.length, 0);
  return targets.map((t, i) => {
    const x = totals[i]!;
    return { mix: mix.name, target: t.name, requests, samples: x.samples, seconds: x.seconds, samplesPerSecond: x.samples / x.seconds, cpuSeconds: x.cpu, runQueueSeconds: x.wait, failures: x.failures };
  });
}

/** seconds the process' threads spent runnable but waiting for a core (second field of schedstat) */
function runQueueSeconds(pid: number): number {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
      } catch {
        // the thread ended
      }
    }
  } catch {
    return 0; // no schedstat here
  }
  return ns / 1e9;
}

const loadAverage = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

export async function runIngestBench(options: Partial<IngestBenchOptions> = {}): Promise<IngestBenchRow[]> {
  const o = { ...defaults, ...options };
  console.log('ingest bench: remote_write 1.0, snappy, one sample per series; wavewatch vs Prometheus 2.42 vs VictoriaMetrics 1.79');
  const stops: (() => Promise<void>)[] = [];
  try {
    const targets: Target[] = [];
    const wavewatch = await startWavewatch();
    stops.push(() => wavewatch.stop());
    targets.push({ name: 'wavewatch', url: wavewatch.url, pid: wavewatch.pid, headers: { ...HEADERS, Authorization: `Bearer ${wavewatch.token}` } });
    // WAVEWATCH_BENCH_WORKER_THREADS=1,2: the same build again with ingest.workerThreads set so
    for (const n of (process.env.WAVEWATCH_BENCH_WORKER_THREADS ?? '').split(',').filter((x) => x !== '')) {
      const dir = mkdtempSync(join(tmpdir(), 'wavewatch-bench-'));
      writeFileSync(join(dir, 'wavewatch.yaml'), `ingest:\n  workerThreads: ${Number(n)}\n`);
      const other = await startWavewatch({ WAVEWATCH_CONFIG: join(dir, 'wavewatch.yaml') });
      stops.push(() => other.stop().finally(() => rmSync(dir, { recursive: true, force: true })));
      targets.push({ name: `wavewatch workerThreads=${Number(n)}`, url: other.url, pid: other.pid, headers: { ...HEADERS, Authorization: `Bearer ${other.token}` } });
    }
    const baseline = process.env.WAVEWATCH_BENCH_BASELINE;
    if (baseline) {
      const other = await startWavewatch({}, baseline);
      stops.push(() => other.stop());
      targets.push({ name: 'wavewatch baseline', url: other.url, pid: other.pid, headers: { ...HEADERS, Authorization: `Bearer ${other.token}` } });
    }
    if (prometheusAvailable()) {
      const prometheus = await startPrometheus('global:\n  scrape_interval: 15s\n', ['--web.enable-remote-write-receiver']);
      stops.push(() => prometheus.stop());
      targets.push({ name: 'prometheus 2.42', url: prometheus.url, pid: prometheus.pid, headers: HEADERS });
    } else console.log('  prometheus binary not found: no comparison');
    if (victoriaMetricsAvailable()) {
      const vm = await startVictoriaMetrics();
      stops.push(() => vm.stop());
      targets.push({ name: 'victoria-metrics 1.79', url: vm.url, pid: vm.pid, headers: HEADERS });
    } else console.log('  victoria-metrics binary not found: no comparison');
    const rows: IngestBenchRow[] = [];
    for (const mix of mixes()) {
      const mixRows = await measure(mix, targets, o);
      printTable(mixRows);
      rows.push(...mixRows);
    }
    return rows;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

function printTable(rows: readonly IngestBenchRow[]): void {
  const header = ['target', 'requests', 'samples', 'seconds', 'samples/s', 'cpu s', 'samples/cpu s', 'run-queue s', 'failed'];
  const lines = rows.map((r) => [
    r.target,
    String(r.requests),
    String(r.samples),
    r.seconds.toFixed(2),
    Math.round(r.samplesPerSecond).toLocaleString('en-US'),
    r.cpuSeconds.toFixed(2),
    Math.round(r.samples / r.cpuSeconds).toLocaleString('en-US'),
    r.runQueueSeconds.toFixed(2),
    String(r.failures),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const line of [header, ...lines]) console.log('  ' + line.map((c, i) => c.padStart(widths[i]!)).join('  '));
  const ours = rows.find((r) => r.target === 'wavewatch');
  const ratio = (name: string, target: string): void => {
    const theirs = rows.find((r) => r.target.startsWith(name));
    if (ours && theirs) console.log(`  ratio wavewatch / ${theirs.target}: ${(ours.samplesPerSecond / theirs.samplesPerSecond).toFixed(2)}x (${target})`);
  };
  ratio('victoria-metrics', 'target > 1x');
  ratio('prometheus', 'target >= 2x');
  ratio('wavewatch baseline', 'this build vs the baseline build');
  for (const r of rows.filter((x) => x.target.startsWith('wavewatch workerThreads'))) {
    const vm = rows.find((x) => x.target.startsWith('victoria-metrics'));
    const prom = rows.find((x) => x.target.startsWith('prometheus'));
    const vs = (x: IngestBenchRow | undefined): string => (x ? ` / ${x.target} ${(r.samplesPerSecond / x.samplesPerSecond).toFixed(2)}x` : '');
    console.log(`  ratio ${r.target}${vs(vm)}${vs(prom)}`);
  }
}
