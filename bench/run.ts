import { runAnalysisBench } from './analysis.bench.js';
import { runClustersBench } from './clusters.bench.js';
import { printIngestToAlert, runIngestToAlertBench } from './ingest-to-alert.bench.js';
import { runIngestBench } from './ingest.bench.js';
import { printMemoryBench, runMemoryBench } from './memory.bench.js';
import { runPullBench } from './pull.bench.js';
import { runReplicasBench } from './replicas.bench.js';

// `npm run bench [-- ingest|analysis|latency|pull|clusters|memory]`: every bench in turn (or the ones named),
// each bounded in time, each printing its own figures.
const args = process.argv.slice(2);
const only = new Set(args.filter((a) => /^[a-z]+$/.test(a)));
const wants = (name: string): boolean => only.size === 0 || only.has(name);

if (wants('ingest')) await runIngestBench();
if (wants('analysis')) runAnalysisBench();
if (wants('latency')) printIngestToAlert(await runIngestToAlertBench());
if (wants('pull')) await runPullBench();
if (only.has('clusters')) {
  // not in the default run: it holds up to a few GiB on the main branch's build
  const [maxClusters, main] = args.filter((a) => !/^[a-z]+$/.test(a));
  await runClustersBench(maxClusters ? Number(maxClusters) : undefined, main);
}
if (only.has('replicas')) await runReplicasBench(); // not in the default run: ~3 min per 10,000 clusters, sizes in REPLICAS_BENCH_CLUSTERS
if (only.has('memory')) {
  // not in the default run: a million series take a few minutes and GiBs
  const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
  printMemoryBench(await runMemoryBench(sizes.length > 0 ? sizes : undefined));
}
