import { encodeWriteRequestV1, snappyCompress } from '../src/ingest/remote-write.codec.js';
import { fleetRequest, fleetSeriesLabels, PAYLOAD_MIX, WANTED_SHARE } from './fleet-payload.js';
import { prometheusAvailable, startPrometheus } from './prometheus-process.js';
import { startWavewatch } from './wavewatch-process.js';

// Sends the same remote_write 1.0 requests to wavewatch and to Prometheus's own receiver in
// one run and compares samples/s. The machine is shared, so only the ratio of one run means
// anything. Both receivers first see every series once (warm-up), then the timed rounds.
// Note: the client runs on the same cores; its fetch and the payload building are not timed.

export interface IngestBenchOptions {
  readonly seriesPerRequest: number;
  readonly requestsPerRound: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly clusters: number;
}

export interface IngestBenchRow {
  readonly target: string;
  readonly requests: number;
  readonly samples: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
  readonly failures: number;
}

const defaults: IngestBenchOptions = { seriesPerRequest: 2000, requestsPerRound: 10, rounds: 40, concurrency: 4, clusters: 20 };

const HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};

function buildPayloads(o: IngestBenchOptions): { warmUp: Buffer[]; timed: Buffer[] } {
  const labels = fleetSeriesLabels(o.seriesPerRequest * o.requestsPerRound, o.clusters);
  const groups = Array.from({ length: o.requestsPerRound }, (_, g) => labels.slice(g * o.seriesPerRequest, (g + 1) * o.seriesPerRequest));
  // Recent timestamps, one second apart per round: both receivers accept them in order.
  const t0 = Date.now() - 30 * 60_000;
  const round = (r: number): Buffer[] => groups.map((g) => snappyCompress(encodeWriteRequestV1(fleetRequest(g, t0 + r * 1000, r))));
  return { warmUp: round(0), timed: Array.from({ length: o.rounds }, (_, r) => round(r + 1)).flat() };
}

async function send(url: string, headers: Record<string, string>, payloads: readonly Buffer[], concurrency: number): Promise<{ seconds: number; failures: number; firstError?: string }> {
  let next = 0;
  let failures = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < payloads.length) {
      const body = payloads[next++]!;
      const res = await fetch(`${url}/api/v1/write`, { method: 'POST', headers, body });
      if (res.status >= 300) {
        failures++;
        firstError ??= `${res.status} ${(await res.text()).slice(0, 200)}`;
      } else {
        await res.arrayBuffer();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, failures, ...(firstError && { firstError }) };
}

interface Target {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  seconds: number;
  failures: number;
}

// Rounds alternate between the receivers (and which goes first), so the noise of a shared
// machine falls on both alike.
async function measure(targets: readonly Target[], payloads: { warmUp: Buffer[]; timed: Buffer[] }, o: IngestBenchOptions): Promise<IngestBenchRow[]> {
  for (const t of targets) {
    const warm = await send(t.url, t.headers, payloads.warmUp, o.concurrency);
    if (warm.failures > 0) throw new Error(`${t.name} refused the warm-up: ${warm.firstError}`);
  }
  for (let r = 0; r < o.rounds; r++) {
    const round = payloads.timed.slice(r * o.requestsPerRound, (r + 1) * o.requestsPerRound);
    for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
      const run = await send(t.url, t.headers, round, o.concurrency);
      if (run.firstError && t.failures === 0) console.log(`  ${t.name}: first failed request: ${run.firstError}`);
      t.seconds += run.seconds;
      t.failures += run.failures;
    }
  }
  return targets.map((t) => {
    const samples = (payloads.timed.length - t.failures) * o.seriesPerRequest;
    return { target: t.name, requests: payloads.timed.length, samples, seconds: t.seconds, samplesPerSecond: samples / t.seconds, failures: t.failures };
  });
}

export async function runIngestBench(options: Partial<IngestBenchOptions> = {}): Promise<IngestBenchRow[]> {
  const o = { ...defaults, ...options };
  console.log('ingest bench: remote_write 1.0, snappy, one sample per series');
  console.log(`  ${o.seriesPerRequest} series/request, ${o.concurrency} requests in flight, ${o.clusters} clusters, ${o.rounds} timed rounds of ${o.requestsPerRound} requests`);
  console.log(`  mix: ${(WANTED_SHARE * 100).toFixed(0)}% series the catalog wants; ${PAYLOAD_MIX}`);
  const payloads = buildPayloads(o);
  const bytes = payloads.timed.reduce((n, p) => n + p.length, 0) / payloads.timed.length;
  console.log(`  average compressed request: ${(bytes / 1024).toFixed(1)} KiB`);

  const wavewatch = await startWavewatch();
  const prometheus = prometheusAvailable() ? await startPrometheus('global:\n  scrape_interval: 15s\n', ['--web.enable-remote-write-receiver']) : undefined;
  if (!prometheus) console.log('  prometheus binary not found: no comparison');
  try {
    const targets: Target[] = [{ name: 'wavewatch', url: wavewatch.url, headers: { ...HEADERS, Authorization: `Bearer ${wavewatch.token}` }, seconds: 0, failures: 0 }];
    if (prometheus) targets.push({ name: 'prometheus 2.42', url: prometheus.url, headers: HEADERS, seconds: 0, failures: 0 });
    const rows = await measure(targets, payloads, o);
    printTable(rows);
    return rows;
  } finally {
    await wavewatch.stop();
    await prometheus?.stop();
  }
}

function printTable(rows: readonly IngestBenchRow[]): void {
  const header = ['target', 'requests', 'samples', 'seconds', 'samples/s', 'failed'];
  const lines = rows.map((r) => [r.target, String(r.requests), String(r.samples), r.seconds.toFixed(2), Math.round(r.samplesPerSecond).toLocaleString('en-US'), String(r.failures)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const line of [header, ...lines]) console.log('  ' + line.map((c, i) => c.padStart(widths[i]!)).join('  '));
  const [ours, theirs] = rows;
  if (ours && theirs) console.log(`  ratio wavewatch / prometheus: ${(ours.samplesPerSecond / theirs.samplesPerSecond).toFixed(2)}x (target >= 2x)`);
}
