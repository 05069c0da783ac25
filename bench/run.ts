import { runAnalysisBench } from './analysis.bench.js';
import { printIngestToAlert, runIngestToAlertBench } from './ingest-to-alert.bench.js';
import { runIngestBench } from './ingest.bench.js';
import { runPullBench } from './pull.bench.js';

// `npm run bench [-- ingest|analysis|latency|pull]`: every bench in turn (or the ones named),
// each bounded in time, each printing its own figures.
const only = new Set(process.argv.slice(2));
const wants = (name: string): boolean => only.size === 0 || only.has(name);

if (wants('ingest')) await runIngestBench();
if (wants('analysis')) runAnalysisBench();
if (wants('latency')) printIngestToAlert(await runIngestToAlertBench());
if (wants('pull')) await runPullBench();
