import { runIngestBench } from './ingest.bench.js';

// `npm run bench`: every bench in turn, each bounded in time.
await runIngestBench();
