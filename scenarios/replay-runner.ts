import type { AlertView } from '../src/alerts/alert.types.js';
import { encodeWriteRequestV1, snappyCompress } from '../src/ingest/remote-write.codec.js';
import type { RawSeries } from '../src/signals/signal.types.js';
import type { DeployEventBody } from './deploy-events.js';
import { simulate, type ScrapeTick } from './fleet-simulator.js';
import { ReplayClient } from './replay-client.js';
import type { GateAnswer } from './score.js';
import type { Scenario } from './scenario.types.js';

// Sends a scenario through the public HTTP contracts only, in event-time order: remote_write
// 1.0 as Prometheus sends it, deploy events at their times, the gate before every wave.

export const MAX_SERIES_PER_REQUEST = 2000;
const PARALLEL_REQUESTS = 4;
const WRITE_HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
  'User-Agent': 'wavewatch-replay/0.1',
};

export interface ReplayResult {
  readonly writeRequests: number;
  readonly samples: number;
  /** count of remote_write answers by HTTP status (after retries) */
  readonly writeStatuses: Record<string, number>;
  readonly events: { readonly eventId: string; readonly type: string; readonly status: number; readonly body: string }[];
  readonly gates: GateAnswer[];
  readonly retries: number;
  readonly elapsedMs: number;
}

export interface ReplayOptions {
  readonly onProgress?: (atMs: number) => void;
  /** API token (needs metrics:write, events:write and read) */
  readonly token?: string;
  /** send only items after this event time (resume a replay cut at `untilMs`) */
  readonly afterMs?: number;
  /** stop before the first item after this event time */
  readonly untilMs?: number;
}

function chunks(tick: ScrapeTick): RawSeries[][] {
  const out: RawSeries[][] = [];
  for (let from = 0; from < tick.labels.length; from += MAX_SERIES_PER_REQUEST) {
    const batch: RawSeries[] = [];
    for (let i = from; i < Math.min(tick.labels.length, from + MAX_SERIES_PER_REQUEST); i++) {
      batch.push({ labels: tick.labels[i]!, samples: [{ value: tick.values[i]!, timestampMs: tick.atMs }] });
    }
    out.push(batch);
  }
  return out;
}

export async function replay(scenario: Scenario, baseUrl: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const client = new ReplayClient({ baseUrl, token: options.token });
  const started = Date.now();
  const writeStatuses: Record<string, number> = {};
  const events: ReplayResult['events'] = [];
  const gates: GateAnswer[] = [];
  let writeRequests = 0;
  let samples = 0;

  const write = async (batch: RawSeries[]): Promise<void> => {
    const answer = await client.request('POST', '/api/v1/write', WRITE_HEADERS, snappyCompress(encodeWriteRequestV1(batch)));
    writeRequests++;
    samples += batch.length;
    writeStatuses[answer.status] = (writeStatuses[answer.status] ?? 0) + 1;
  };

  for (const item of simulate(scenario)) {
    if (options.afterMs !== undefined && item.atMs <= options.afterMs) continue;
    if (options.untilMs !== undefined && item.atMs > options.untilMs) break;
    switch (item.kind) {
      case 'scrape': {
        const pending = chunks(item);
        while (pending.length > 0) await Promise.all(pending.splice(0, PARALLEL_REQUESTS).map(write));
        options.onProgress?.(item.atMs);
        break;
      }
      case 'deploy': {
        const event: DeployEventBody = item.event;
        const answer = await client.request('POST', '/api/v1/deploy-events', { 'Content-Type': 'application/json' }, JSON.stringify(event));
        events.push({ eventId: event.eventId, type: event.type, status: answer.status, body: answer.body });
        break;
      }
      case 'gate': {
        const answer = await client.request('GET', `/api/v1/rollouts/${encodeURIComponent(item.rolloutId)}/gate`);
        gates.push({ rolloutId: item.rolloutId, wave: item.wave, status: answer.status, verdict: verdictOf(answer.body) });
        break;
      }
    }
  }
  return { writeRequests, samples, writeStatuses, events, gates, retries: client.retries, elapsedMs: Date.now() - started };
}

function verdictOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { verdict?: unknown };
    return typeof parsed.verdict === 'string' ? parsed.verdict : null;
  } catch {
    return null;
  }
}

/** token: needs read, and admin for the catch-up (without it, alerts are read as they stand) */
export async function fetchAlerts(baseUrl: string, token?: string): Promise<AlertView[]> {
  const client = new ReplayClient({ baseUrl, token });
  // Let the evaluation reach the last sample sent before reading alerts (404 on servers
  // without the endpoint: read what is there).
  const caughtUp = await client.request('POST', '/api/v1/evaluation/catch-up');
  if (caughtUp.status === 401 || caughtUp.status === 403) {
    throw new Error(`POST /api/v1/evaluation/catch-up answered ${caughtUp.status} (the token needs the admin scope): ${caughtUp.body.slice(0, 200)}`);
  }
  const answer = await client.request('GET', '/api/v1/alerts?state=all');
  if (answer.status !== 200) throw new Error(`GET /api/v1/alerts?state=all answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  const parsed: unknown = JSON.parse(answer.body);
  if (!Array.isArray(parsed)) throw new Error('GET /api/v1/alerts did not return an array');
  return parsed as AlertView[];
}
