// CPU cost per remote_write request inside the receiver, without HTTP: snappy, decode and
// append on the ingest bench's payload. Run with
// `node .build/<name>/bench/ingest-decode.bench.js [rounds]` (add --cpu-prof to profile).
import { performance } from 'node:perf_hooks';
import { decodeWriteRequestV1 } from '../src/ingest/remote-write-v1.decoder.js';
import { encodeWriteRequestV1, snappyCompress } from '../src/ingest/remote-write.codec.js';
import { snappyUncompress } from '../src/ingest/snappy-block.js';
import { LabelSetCache } from '../src/ingest/label-set-cache.js';
import { Utf8Interner } from '../src/ingest/utf8-interner.js';
import { testStore } from '../src/signals/testing/signal-fixtures.js';
import { fleetRequest, fleetSeriesLabels } from './fleet-payload.js';

const rounds = Number(process.argv[2] ?? 40);
const seriesPerRequest = 2000;
const requestsPerRound = 10;
const limits = { maxSeriesPerRequest: 100_000, maxLabelsPerSeries: 64, maxLabelNameBytes: 256, maxLabelValueBytes: 4096, maxLineBytes: 512 * 1024 };

const labels = fleetSeriesLabels(seriesPerRequest * requestsPerRound, 20);
const groups = Array.from({ length: requestsPerRound }, (_, g) => labels.slice(g * seriesPerRequest, (g + 1) * seriesPerRequest));
const t0 = Date.now() - 30 * 60_000;
const payloads = Array.from({ length: rounds + 1 }, (_, r) => groups.map((g) => snappyCompress(encodeWriteRequestV1(fleetRequest(g, t0 + r * 1000, r)))));

const store = testStore({ maxActiveSeries: 1_000_000 });
const wants = (name: string): boolean => store.wants(name);
const strings = new Utf8Interner();
const labelSets = new LabelSetCache();
const ms = { snappy: 0, decode: 0, append: 0 };
let cpuStart = process.cpuUsage();
let samples = 0;
// per-request times: on a shared machine the median is steadier than the mean
const each = { snappy: [] as number[], decode: [] as number[], append: [] as number[] };
for (let r = 0; r <= rounds; r++) {
  for (const body of payloads[r]!) {
    const a = performance.now();
    const raw = snappyUncompress(body, 32 << 20);
    const b = performance.now();
    const decoded = decodeWriteRequestV1(raw, wants, limits, strings, labelSets);
    const c = performance.now();
    store.append(decoded.series);
    const d = performance.now();
    if (r === 0) {
      cpuStart = process.cpuUsage(); // the warm-up round creates the series
      continue;
    }
    ms.snappy += b - a;
    ms.decode += c - b;
    ms.append += d - c;
    each.snappy.push(b - a);
    each.decode.push(c - b);
    each.append.push(d - c);
    samples += decoded.samples;
  }
}
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const total = ms.snappy + ms.decode + ms.append;
const requests = rounds * requestsPerRound;
const per = (x: number): string => `${(x / requests).toFixed(3)} ms`;
console.log(`${requests} requests of ${seriesPerRequest} series: snappy ${per(ms.snappy)}, decode ${per(ms.decode)}, append ${per(ms.append)} per request; ${Math.round(samples / (total / 1000)).toLocaleString('en')} samples/s wall, ${Math.round(samples / (cpuMs / 1000)).toLocaleString('en')} samples/s of CPU time`);
const median = (xs: number[]): string => `${xs.sort((x, y) => x - y)[xs.length >> 1]!.toFixed(3)} ms`;
console.log(`  median per request: snappy ${median(each.snappy)}, decode ${median(each.decode)}, append ${median(each.append)}`);
