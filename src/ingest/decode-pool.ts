import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import type { KnownSeries } from '../signals/signal.types.js';
import type { DecodedWrite } from './decoded-write.js';
import { knownSeries, transient } from './label-set-cache.js';
import { unpackColumns, type DecodeFailure, type DecodeJob, type DecodeReply, type DecodeWorkerData } from './decode-protocol.js';

interface Slot {
  worker: Worker;
  readonly pending: Map<number, { resolve: (d: DecodedWrite) => void; reject: (e: unknown) => void }>;
  /** the worker's handles: its series' labels and the store's ref for each */
  known: (KnownSeries | undefined)[];
  /** its worker died and the replacement is not started yet */
  down: boolean;
}

/** a worker that cannot start (a missing file, say) must not be respawned in a tight loop */
const RESTART_DELAY_MS = 1000;

const WORKER_URL = new URL('./decode-worker.js', import.meta.url);

// remote_write 1.0 requests decoded by `ingest.workerThreads` workers (snappy, wire walk,
// filter, label cache), each request to the worker with the fewest in flight. The main thread
// keeps reading bodies, reducing samples into the signal store and answering. A worker that
// dies fails its requests with 503 (the sender retries) and is replaced.
export class DecodePool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  private readonly logger = new Logger('ingest');

  constructor(
    size: number,
    private readonly data: DecodeWorkerData,
    /** told how often a worker's label cache started over (ingest metrics) */
    private readonly onLabelCacheResets: (resets: number) => void = () => undefined,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.start({ worker: undefined as unknown as Worker, pending: new Map(), known: [], down: false }));
  }

  /** decodes `body` in a worker; the body's memory may be handed over to it (unusable afterwards) */
  decode(body: Buffer): Promise<DecodedWrite> {
    let slot: Slot | undefined;
    for (const s of this.slots) if (!s.down && (slot === undefined || s.pending.size < slot.pending.size)) slot = s;
    if (slot === undefined) return Promise.reject(new DomainError('unavailable', 'every ingest decode worker is restarting; retry', undefined, 1));
    const id = this.nextId++;
    // the worker takes the body's memory: handed over when the body owns all of it (a body
    // read in several chunks was joined into a buffer of its own), else a copy, since the
    // memory may hold other buffers (a socket read's slab)
    const owns = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
    const own = owns ? new Uint8Array(body.buffer) : new Uint8Array(body);
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const job: DecodeJob = { id, body: own };
      try {
        slot.worker.postMessage(job, [own.buffer]);
      } catch (error) {
        slot.pending.delete(id); // never sent: it must not count as in flight
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private start(slot: Slot): Slot {
    const worker = new Worker(WORKER_URL, { workerData: this.data });
    worker.unref();
    slot.worker = worker;
    slot.known = [];
    slot.down = false;
    worker.on('message', (reply: DecodeReply | DecodeFailure) => this.settle(slot, reply));
    const fail = (why: string): void => {
      if (slot.worker !== worker || slot.down) return;
      slot.down = true;
      for (const p of slot.pending.values()) p.reject(new DomainError('unavailable', 'an ingest decode worker stopped; retry', undefined, 1));
      slot.pending.clear();
      if (this.closed) return;
      this.logger.error(`ingest decode worker ${why}; starting another in ${RESTART_DELAY_MS} ms`);
      setTimeout(() => {
        if (!this.closed) this.start(slot);
      }, RESTART_DELAY_MS).unref();
    };
    worker.on('error', (error: Error) => fail(`failed: ${error.message}`));
    worker.on('exit', (code: number) => fail(`exited with code ${code}`));
    return slot;
  }

  private settle(slot: Slot, reply: DecodeReply | DecodeFailure): void {
    const pending = slot.pending.get(reply.id);
    if (pending === undefined) return;
    slot.pending.delete(reply.id);
    if ('failure' in reply) {
      const f = reply.failure;
      pending.reject(f.code === undefined ? new Error(f.message) : new DomainError(f.code, f.message, f.details, f.retryAfterSeconds));
      return;
    }
    try {
      pending.resolve(this.materialise(slot, reply));
    } catch (error) {
      pending.reject(error);
    }
  }

  /** the reply as the in-line decoder would have returned it, with one label list and ref per handle */
  private materialise(slot: Slot, reply: DecodeReply): DecodedWrite {
    // handle definitions always arrive before (or with) their first use: replies come in order
    if (reply.reset) slot.known = [];
    if (reply.labelCacheResets > 0) this.onLabelCacheResets(reply.labelCacheResets);
    for (const d of reply.definitions) slot.known[d.handle] = knownSeries(d.labels);
    const { handles, values, timestamps } = unpackColumns(reply.columns, reply.count);
    const series: KnownSeries[] = new Array<KnownSeries>(handles.length);
    const transients = reply.transients.map((labels) => transient(labels));
    for (let i = 0; i < handles.length; i++) {
      const h = handles[i]!;
      const known = h < 0 ? transients[-h - 1] : slot.known[h];
      if (known === undefined) throw new Error(`decode worker used handle ${h} before defining it`);
      series[i] = known;
    }
    const { samples, ignoredSamples, histograms, exemplars, discarded } = reply;
    const columns = { count: reply.count, series, values, timestamps };
    return { series: [], columns, samples, ignoredSamples, histograms, exemplars, ...(discarded && { discarded }) };
  }
}
