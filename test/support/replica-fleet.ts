import { encodeWriteRequestV1, snappyCompress } from '../../src/ingest/remote-write.codec.js';
import type { RawSeries } from '../../src/signals/signal.types.js';
import type { ScrapeTick } from '../../scenarios/index.js';
import { startWavewatch, type RunningWavewatch } from '../../bench/wavewatch-process.js';

// Real wavewatch processes on one database for test/replicas-failover.test.ts: who leads, what
// each has evaluated, and remote_write routed to each cluster's replica (push sharded by cluster).

export interface Replica {
  readonly name: string;
  readonly process: RunningWavewatch;
  alive: boolean;
}

export interface EvaluationStatus {
  evaluatedThrough: string | null;
  replica: { id: string; role: 'leader' | 'follower'; leader: string | null };
}

const WRITE_HEADERS = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0' };

export async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  return { name, process: await startWavewatch({ ...env, WAVEWATCH_REPLICA_ID: name, LOG_LEVEL: 'log' }), alive: true };
}

export async function call(r: Replica, method: 'GET' | 'POST', path: string, body?: Uint8Array | string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${r.process.url}${path}`, { method, body, headers: { ...headers, Authorization: `Bearer ${r.process.token}` } });
  return { status: res.status, text: await res.text() };
}

export async function json<T>(r: Replica, path: string): Promise<T> {
  const answer = await call(r, 'GET', path);
  if (answer.status !== 200) throw new Error(`${r.name} GET ${path}: ${answer.status} ${answer.text.slice(0, 200)}`);
  return JSON.parse(answer.text) as T;
}

export const status = (r: Replica): Promise<EvaluationStatus> => json<EvaluationStatus>(r, '/api/v1/evaluation');

/** asks every 50 ms until `probe` answers, failing after `seconds` */
export async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function write(r: Replica, series: RawSeries[]): Promise<void> {
  const answer = await call(r, 'POST', '/api/v1/write', snappyCompress(encodeWriteRequestV1(series)), WRITE_HEADERS);
  if (answer.status !== 204 && answer.status !== 200) throw new Error(`${r.name} write: ${answer.status} ${answer.text}`);
}

/** one scrape of the fleet split by the `cluster` label */
export function byCluster(tick: ScrapeTick): Map<string, RawSeries[]> {
  const out = new Map<string, RawSeries[]>();
  tick.labels.forEach((labels, i) => {
    const cluster = labels.find((l) => l.name === 'cluster')?.value ?? '';
    let list = out.get(cluster);
    if (!list) out.set(cluster, (list = []));
    list.push({ labels, samples: [{ value: tick.values[i]!, timestampMs: tick.atMs }] });
  });
  return out;
}
