import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../common/domain-error.js';
import type { KnownSeries, SeriesRef } from '../signals/signal.types.js';
import { packColumns, type DecodeJob, type DecodeReply, type DecodeWorkerData, type SeriesDefinition } from './decode-protocol.js';
import { LabelSetCache } from './label-set-cache.js';
import { decodeWriteRequestV1 } from './remote-write-v1.decoder.js';
import { SampleColumnsBuilder } from './sample-columns.js';
import { snappyUncompress } from './snappy-block.js';
import { SnappyDecoder } from './snappy-decoder.js';
import { Utf8Interner } from './utf8-interner.js';

// A decode worker (ingest.workerThreads): snappy and remote_write 1.0 decoding with its own
// label cache, off the main thread. It hands back numbers only: per wanted series a handle,
// its samples' values and timestamps, and the labels of a handle the first time it is used.
// Series state stays on the main thread (the signal store is not shared).

const data = workerData as DecodeWorkerData;
const wanted = new Set(data.wantedMetrics);
const wants = (name: string): boolean => wanted.has(name);
const strings = new Utf8Interner();
const labelSets = new LabelSetCache(data.labelCache.maxEntriesLog2, undefined, data.labelCache.maxBytes);
let resetsReported = 0;
const columns = new SampleColumnsBuilder();
const snappy = new SnappyDecoder();
/** handles are numbered per epoch; a new epoch (past MAX_HANDLES) tells the main thread to forget the old ones */
const MAX_HANDLES = 1 << 20;
let epoch: object = {};
let nextHandle = 0;

// In the worker nothing else uses the cached series' refs: a ref holds the series' handle.
function handleOf(ref: SeriesRef, definitions: SeriesDefinition[], labels: SeriesDefinition['labels']): number {
  if (ref.owner === epoch) return ref.id;
  ref.owner = epoch;
  ref.id = nextHandle++;
  definitions.push({ handle: ref.id, labels });
  return ref.id;
}

function decode(job: DecodeJob): DecodeReply {
  let reset = false;
  if (nextHandle > MAX_HANDLES) {
    epoch = {};
    nextHandle = 0;
    reset = true;
  }
  const raw = snappyUncompress(job.body, data.maxDecompressedBytes, snappy);
  const decoded = decodeWriteRequestV1(raw, wants, data.limits, strings, labelSets, columns);
  const n = columns.count;
  const { buffer, handles } = packColumns(n, columns.values, columns.timestamps);
  const definitions: SeriesDefinition[] = [];
  // a series for this request only gets a handle of this reply only (-1, -2, …): the main
  // thread keeps numbered handles until the epoch ends, and these would pile up there
  const transients: SeriesDefinition['labels'][] = [];
  let lastTransient: KnownSeries | undefined;
  for (let i = 0; i < n; i++) {
    const s = columns.series[i]!;
    if (s.transient === true) {
      if (s !== lastTransient) transients.push(s.labels);
      lastTransient = s;
      handles[i] = -transients.length;
    } else handles[i] = handleOf(s.ref, definitions, s.labels);
  }
  const { samples, ignoredSamples, histograms, exemplars, discarded } = decoded;
  const reply = {
    id: job.id,
    reset,
    count: n,
    columns: buffer,
    definitions,
    transients,
    labelCacheResets: labelSets.resets - resetsReported,
    samples,
    ignoredSamples,
    histograms,
    exemplars,
    ...(discarded && { discarded }),
  };
  resetsReported = labelSets.resets;
  return reply;
}

parentPort!.on('message', (job: DecodeJob) => {
  try {
    const reply = decode(job);
    parentPort!.postMessage(reply, [reply.columns]);
  } catch (error) {
    const failure =
      error instanceof DomainError
        ? { code: error.code, message: error.message, ...(error.details && { details: error.details }), ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }) }
        : { message: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage({ id: job.id, failure });
  }
});
