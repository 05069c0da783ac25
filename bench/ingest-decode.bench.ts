// Where a remote_write request's time goes inside the receiver, per stage, on both payload
// mixes of the ingest bench: snappy, decode (wire walk, filter, labels), series lookup (label
// list → series id), signal update (the rest of the store's append), and HTTP (the service's
// own CPU per request over HTTP, minus the stages: framework, auth guard, body reading, metrics).
// Run with `node <build>/bench/ingest-decode.bench.js [rounds] [--no-http]` (add --cpu-prof to
// profile the in-process stages; the HTTP figure comes from the service's /proc CPU time).
import { performance } from 'node:perf_hooks';
import { decodeWriteRequestV1 } from '../src/ingest/remote-write-v1.decoder.js';
import { encodeWriteRequestV1, snappyCompress } from '../src/ingest/remote-write.codec.js';
import { snappyUncompress } from '../src/ingest/snappy-block.js';
import { SnappyDecoder } from '../src/ingest/snappy-decoder.js';
import { LabelSetCache } from '../src/ingest/label-set-cache.js';
import { SampleColumnsBuilder } from '../src/ingest/sample-columns.js';
import { Utf8Interner } from '../src/ingest/utf8-interner.js';
import type { AppendResult, LabelPair, RawSeries } from '../src/signals/signal.types.js';
import { testStore } from '../src/signals/testing/signal-fixtures.js';
import { controlPlaneSeriesLabels } from './ingest-control-plane-payload.js';
import { fleetRequest, fleetSeriesLabels } from './fleet-payload.js';
import { processCpuSeconds } from './victoria-metrics-process.js';
import { startWavewatch } from './wavewatch-process.js';

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 40);
const http = !args.includes('--no-http');
const seriesPerRequest = 2000;
const limits = { maxSeriesPerRequest: 100_000, maxLabelsPerSeries: 64, maxLabelNameBytes: 256, maxLabelValueBytes: 4096, maxLineBytes: 512 * 1024 };

/** the store's private id lookup, timed on its own (it changes nothing for known series) */
interface Lookup {
  resolve(series: Pick<RawSeries, 'labels' | 'ref'>, result: AppendResult, samples: number): number;
}

function payloads(labels: LabelPair[][]): Buffer[][] {
  const groups: LabelPair[][][] = [];
  for (let i = 0; i < labels.length; i += seriesPerRequest) groups.push(labels.slice(i, i + seriesPerRequest));
  const t0 = Date.now() - 30 * 60_000;
  return Array.from({ length: rounds + 1 }, (_, r) => groups.map((g) => snappyCompress(encodeWriteRequestV1(fleetRequest(g, t0 + r * 1000, r)))));
}

const STAGES = ['snappy', 'decode', 'lookup', 'update'] as const;
type Stage = (typeof STAGES)[number];

function inProcess(name: string, all: Buffer[][]): Record<Stage, number> & { samples: number } {
  // as configured in production: replica labels and the histogram bound on
  const store = testStore({ maxActiveSeries: 1_000_000, replicaLabels: ['prometheus_replica', '__replica__'], maxHistogramBuckets: 128 });
  const lookup = store as unknown as Lookup;
  // the main branch's store (before refs) looked series up by their label list
  const byLabels = 'idOfLabels' in store;
  const wants = (metric: string): boolean => store.wants(metric);
  const strings = new Utf8Interner();
  const labelSets = new LabelSetCache();
  const columns = new SampleColumnsBuilder();
  const snappy = new SnappyDecoder();
  const each: Record<Stage, number[]> = { snappy: [], decode: [], lookup: [], update: [] };
  let cpuStart = process.cpuUsage();
  let samples = 0;
  let wall = 0;
  all.forEach((round, r) => {
    for (const body of round) {
      const a = performance.now();
      const raw = snappyUncompress(body, 32 << 20, snappy);
      const b = performance.now();
      const decoded = decodeWriteRequestV1(raw, wants, limits, strings, labelSets, columns);
      const c = performance.now();
      const scratch: AppendResult = { accepted: 0, outOfOrder: 0, ignored: 0, missingCluster: 0 };
      for (const s of decoded.series) lookup.resolve(byLabels ? (s.labels as unknown as RawSeries) : s, scratch, s.samples.length);
      for (let i = 0; i < columns.count; i++) {
        const s = columns.series[i]!;
        lookup.resolve(byLabels ? (s.labels as unknown as RawSeries) : s, scratch, 1);
      }
      const d = performance.now();
      store.append(decoded.series, { notAfterMs: Date.now() + 600_000 }, decoded.columns);
      const e = performance.now();
      if (r === 0) {
        cpuStart = process.cpuUsage(); // the warm-up round creates the series
        continue;
      }
      // the append looks the ids up again: its lookup share is the lookup pass's time
      each.snappy.push(b - a);
      each.decode.push(c - b);
      each.lookup.push(d - c);
      each.update.push(Math.max(0, e - d - (d - c)));
      wall += e - a - (d - c);
      samples += decoded.samples;
    }
  });
  const cpu = process.cpuUsage(cpuStart);
  const requests = each.snappy.length;
  const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / xs.length;
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  const fmt = (f: (xs: number[]) => number): string => STAGES.map((s) => `${s} ${f(each[s]).toFixed(3)}`).join(', ');
  console.log(`  in process, ${requests} requests (ms per request): mean ${fmt(mean)}`);
  console.log(`    median ${fmt(median)}; ${Math.round(samples / (wall / 1000)).toLocaleString('en')} samples/s wall, ${Math.round(samples / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en')} samples/s of CPU (incl. the extra lookup pass)`);
  void name;
  return { snappy: mean(each.snappy), decode: mean(each.decode), lookup: mean(each.lookup), update: mean(each.update), samples: samples / requests };
}

async function overHttp(all: Buffer[][]): Promise<number> {
  const ww = await startWavewatch();
  try {
    const headers = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', Authorization: `Bearer ${ww.token}` };
    let cpu = 0;
    let requests = 0;
    for (let r = 0; r < all.length; r++) {
      const before = processCpuSeconds(ww.pid);
      let next = 0;
      const round = all[r]!;
      const worker = async (): Promise<void> => {
        while (next < round.length) {
          const res = await fetch(`${ww.url}/api/v1/write`, { method: 'POST', headers, body: round[next++]! });
          if (res.status !== 204) throw new Error(`status ${res.status}: ${await res.text()}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      if (r === 0) continue;
      cpu += processCpuSeconds(ww.pid) - before;
      requests += round.length;
    }
    return (cpu * 1000) / requests;
  } finally {
    await ww.stop();
  }
}

const mixes: [string, LabelPair[][]][] = [
  ['all-wanted (apiserver + CoreDNS, 4 clusters)', controlPlaneSeriesLabels(4)],
  ['fleet 25%', fleetSeriesLabels(20_000, 20)],
];
for (const [name, labels] of mixes) {
  console.log(`[${name}] ${labels.length} series per scrape, ${seriesPerRequest} per request, ${rounds} rounds`);
  const all = payloads(labels);
  const stages = inProcess(name, all);
  const inside = STAGES.reduce((n, s) => n + stages[s], 0);
  if (!http) continue;
  const service = await overHttp(all);
  const rest = Math.max(0, service - inside);
  const share = (x: number): string => `${((100 * x) / Math.max(service, inside)).toFixed(0)}%`;
  console.log(
    `  service CPU over HTTP ${service.toFixed(3)} ms per request (${Math.round((stages.samples / service) * 1000).toLocaleString('en')} samples/CPU s); shares: ` +
      [...STAGES.map((s) => `${s} ${share(stages[s])}`), `http+framework ${share(rest)} (${rest.toFixed(3)} ms)`].join(', '),
  );
}
