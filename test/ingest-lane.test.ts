import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeWriteRequestV1, encodeWriteRequestV2, snappyCompress } from '../src/ingest/remote-write.codec.js';
import type { RawSeries } from '../src/signals/signal.types.js';
import { startApp, type RunningApp } from './support/start-app.js';

// POST /api/v1/write is served by a fast lane ahead of the framework (remote-write.lane.ts);
// any other spelling of the path (a trailing slash) still goes through the framework's router,
// guard and exception filter to the same endpoint. Every request below is sent both ways and
// must get the same answer: status, reason, the headers a client acts on, and the request
// counters. A difference means the lane drifted from the route's contract.

const secret = (): string => randomBytes(18).toString('base64url');
const tokens = { writer: secret(), reader: secret() };
const V1 = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' };
const V2 = { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request', 'Content-Encoding': 'snappy' };
const t0 = Date.UTC(2024, 11, 11, 22, 0, 0);

function series(cluster: string, step: number): RawSeries {
  const labels = Object.entries({ __name__: 'apiserver_request_total', cluster, code: '200', verb: 'LIST' }).map(([name, value]) => ({ name, value }));
  return { labels, samples: [{ value: step * 100, timestampMs: t0 + step * 15_000 }] };
}

interface Case {
  readonly name: string;
  readonly headers: Record<string, string>;
  /** per path, so both paths write new samples (the second would otherwise be out of order) */
  readonly body: (path: string) => Uint8Array | string;
  readonly query?: string;
}

const writer = { Authorization: `Bearer ${tokens.writer}` };
const cluster = (path: string): string => (path.endsWith('/') ? 'lane-framework' : 'lane-fast');
const cases: Case[] = [
  { name: 'remote_write 1.0', headers: { ...V1, ...writer }, body: (p) => snappyCompress(encodeWriteRequestV1([series(cluster(p), 1)])) },
  { name: 'remote_write 2.0 with written headers', headers: { ...V2, ...writer }, body: (p) => snappyCompress(encodeWriteRequestV2([series(cluster(p), 2)])) },
  { name: 'HTTP Basic password', headers: { ...V1, Authorization: `Basic ${Buffer.from(`prometheus:${tokens.writer}`).toString('base64')}` }, body: (p) => snappyCompress(encodeWriteRequestV1([series(cluster(p), 3)])) },
  { name: 'no token', headers: V1, body: () => '' },
  { name: 'unknown token', headers: { ...V1, Authorization: 'Bearer nope' }, body: () => '' },
  { name: 'malformed Authorization', headers: { ...V1, Authorization: 'Token x' }, body: () => '' },
  { name: '?token= on a route that refuses it', headers: V1, body: () => '', query: `?token=${tokens.writer}` },
  { name: 'token without the scope', headers: { ...V1, Authorization: `Bearer ${tokens.reader}` }, body: () => '' },
  { name: 'unknown content type', headers: { 'Content-Type': 'application/json', ...writer }, body: () => '{}' },
  { name: 'invalid snappy', headers: { ...V1, ...writer }, body: () => 'not snappy at all' },
  { name: 'malformed protobuf', headers: { ...V1, ...writer }, body: () => snappyCompress(Buffer.from([0x0a, 0xff, 0x01])) },
  { name: 'body over ingest.maxBodyBytes', headers: { ...V1, ...writer }, body: () => new Uint8Array(5000) },
  { name: 'too many series', headers: { ...V1, ...writer }, body: (p) => snappyCompress(encodeWriteRequestV1([1, 2, 3, 4].map((s) => series(`${cluster(p)}-${s}`, 4)))) },
];

const HEADERS = ['content-type', 'www-authenticate', 'retry-after', 'connection', 'x-prometheus-remote-write-samples-written', 'x-prometheus-remote-write-histograms-written'];

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | null>;
}

async function send(app: RunningApp, path: string, c: Case): Promise<Answer> {
  const res = await fetch(`${app.url}${path}${c.query ?? ''}`, { method: 'POST', headers: c.headers, body: c.body(path) });
  const headers = Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)]));
  return { status: res.status, body: await res.text(), headers };
}

async function counters(app: RunningApp): Promise<Map<string, number>> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('wavewatch_http_requests_total{route="/api/v1/write"') && !line.startsWith('wavewatch_ingest_requests_total{')) continue;
    const [series, value] = line.split(' ');
    out.set(series!, Number(value));
  }
  return out;
}

const delta = (before: Map<string, number>, after: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...after].map(([k, v]): [string, number] => [k, v - (before.get(k) ?? 0)]).filter(([, d]) => d !== 0));

describe('remote_write fast lane', () => {
  let app: RunningApp;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-lane-'));
    const config = join(dir, 'wavewatch.yaml');
    writeFileSync(
      config,
      [
        'auth:',
        '  tokens:',
        `    - { name: metrics-writer, token: "${tokens.writer}", scopes: [metrics:write] }`,
        `    - { name: reader, token: "${tokens.reader}", scopes: [read] }`,
        'ingest:',
        '  maxBodyBytes: 2048',
        '  maxSeriesPerRequest: 3',
      ].join('\n'),
    );
    app = await startApp({ WAVEWATCH_CONFIG: config });
  });
  after(async () => {
    await app?.close();
  });

  it('is installed ahead of the framework on the HTTP server', () => {
    const server = app.app.getHttpServer() as Server;
    const framework = app.app.getHttpAdapter().getInstance() as unknown;
    const listeners = server.listeners('request');
    assert.equal(listeners.length, 1);
    assert.notEqual(listeners[0], framework);
  });

  for (const c of cases) {
    it(`answers like the framework: ${c.name}`, async () => {
      const before = await counters(app);
      const lane = await send(app, '/api/v1/write', c);
      const middle = await counters(app);
      const framework = await send(app, '/api/v1/write/', c);
      const end = await counters(app);
      assert.deepEqual(lane, framework);
      assert.deepEqual(delta(before, middle), delta(middle, end), 'the same request and ingest counters move');
      assert.ok(Object.keys(delta(before, middle)).length >= 1, 'the request is counted');
    });
  }

  it('delivers what it accepts to the signal store', async () => {
    const clusters = (await (await fetch(`${app.url}/api/v1/clusters`, { headers: { Authorization: `Bearer ${tokens.reader}` } })).json()) as { name: string }[];
    const names = clusters.map((c) => c.name);
    assert.ok(names.includes('lane-fast') && names.includes('lane-framework'), names.join(','));
  });
});
