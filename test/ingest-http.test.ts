import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeWriteRequestV1, encodeWriteRequestV2, snappyCompress } from '../src/ingest/remote-write.codec.js';
import type { RawSeries } from '../src/signals/signal.types.js';
import { startApp, type RunningApp } from './support/start-app.js';

// The ingest HTTP contract (DESIGN §3) against the whole service: status codes, one-line
// reasons, v2 written headers, and what reaches the signal store.

const V1 = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' };
const V2 = { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request', 'Content-Encoding': 'snappy' };
const t0 = Date.UTC(2024, 11, 11, 22, 0, 0);

function series(cluster: string, name: string, step: number, extra: Record<string, string> = {}): RawSeries {
  const labels = Object.entries({ __name__: name, cluster, code: '200', instance: 'a:6443', job: 'apiserver', verb: 'LIST', ...extra }).map(([n, value]) => ({ name: n, value }));
  return { labels, samples: [{ value: step * 100, timestampMs: t0 + step * 15_000 }] };
}

async function post(app: RunningApp, path: string, headers: Record<string, string>, body: Uint8Array | string): Promise<Response> {
  return fetch(`${app.url}${path}`, { method: 'POST', headers, body });
}

async function metricValue(app: RunningApp, line: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return Number(found?.split(' ')[1] ?? NaN);
}

const accepted = 'wavewatch_ingest_samples_total{outcome="accepted"}';
const ignored = 'wavewatch_ingest_samples_total{outcome="ignored"}';

describe('ingest over HTTP', () => {
  let app: RunningApp;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavewatch-ingest-'));
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, 'ingest:\n  maxBodyBytes: 2048\n  maxDecompressedBytes: 16384\n  maxInflightRequests: 1\n  maxSeriesPerRequest: 3\n');
    // Small limits so that 413/429/series limits are reachable with app requests.
    app = await startApp({ WAVEWATCH_CONFIG: configFile });
  });
  after(async () => {
    await app?.close();
  });

  it('accepts remote_write 1.0 with 204 and reduces only catalog series', async () => {
    const before = { accepted: await metricValue(app, accepted), ignored: await metricValue(app, ignored) };
    const body = snappyCompress(encodeWriteRequestV1([series('http-a', 'apiserver_request_total', 1), series('http-a', 'node_load1', 1)]));
    const res = await post(app, '/api/v1/write', V1, body);
    assert.equal(res.status, 204);
    assert.equal(await metricValue(app, accepted), before.accepted + 1);
    assert.equal(await metricValue(app, ignored), before.ignored + 1);
    const clusters = (await (await fetch(`${app.url}/api/v1/clusters`)).json()) as { name: string }[];
    assert.ok(clusters.some((c) => c.name === 'http-a'), JSON.stringify(clusters));
  });

  it('answers remote_write 2.0 with the written headers', async () => {
    const input = [series('http-b', 'apiserver_request_total', 1), series('http-b', 'coredns_dns_responses_total', 1, { rcode: 'NOERROR' }), series('http-b', 'node_load1', 1)];
    const res = await post(app, '/api/v1/write', V2, snappyCompress(encodeWriteRequestV2(input)));
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('x-prometheus-remote-write-samples-written'), '3');
    assert.equal(res.headers.get('x-prometheus-remote-write-histograms-written'), '0');
    assert.equal(res.headers.get('x-prometheus-remote-write-exemplars-written'), '0');
  });

  it('drops out-of-order samples of a series, keeps the rest, and still answers 204', async () => {
    await post(app, '/api/v1/write', V2, snappyCompress(encodeWriteRequestV2([series('http-c', 'apiserver_request_total', 5)])));
    const res = await post(app, '/api/v1/write', V2, snappyCompress(encodeWriteRequestV2([series('http-c', 'apiserver_request_total', 2), series('http-c', 'apiserver_request_total', 6, { verb: 'GET' })])));
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('x-prometheus-remote-write-samples-written'), '1');
    assert.ok((await metricValue(app, 'wavewatch_ingest_samples_total{outcome="out_of_order"}')) >= 1);
  });

  it('rejects malformed bodies with a one-line 400', async () => {
    for (const body of [Buffer.from('garbage, not snappy'), snappyCompress(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]))]) {
      const res = await post(app, '/api/v1/write', V1, body);
      assert.equal(res.status, 400);
      const reason = (await res.json()) as { error: string; message: string };
      assert.equal(reason.error, 'bad_request');
      assert.ok(reason.message.length > 0 && !reason.message.includes('\n'), reason.message);
    }
  });

  it('drops and counts a series over a label limit, keeping the rest of its request', async () => {
    const discarded = 'wavewatch_ingest_discarded_samples_total{reason="max_labels_per_series"}';
    const before = await metricValue(app, discarded);
    const wide = series('http-d', 'apiserver_request_total', 1, Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`l${i}`, 'x'])));
    const res = await post(app, '/api/v1/write', V1, snappyCompress(encodeWriteRequestV1([wide, series('http-d', 'apiserver_request_total', 1)])));
    assert.equal(res.status, 204);
    assert.equal(await metricValue(app, discarded), before + 1);
    const clusters = (await (await fetch(`${app.url}/api/v1/clusters`)).json()) as { name: string }[];
    assert.ok(clusters.some((c) => c.name === 'http-d'), 'the good series of the same request arrived');
  });

  it('names the request limit a request exceeds', async () => {
    const many = Array.from({ length: 4 }, (_, i) => series('http-d', 'up', 1, { instance: `i${i}` }));
    const tooMany = await post(app, '/api/v1/write', V1, snappyCompress(encodeWriteRequestV1(many)));
    assert.equal(tooMany.status, 400);
    assert.match(((await tooMany.json()) as { message: string }).message, /maxSeriesPerRequest=3/);
  });

  it('answers 413 for a large body and for a large decompressed size', async () => {
    const big = await post(app, '/api/v1/write', V1, Buffer.alloc(4096, 1));
    assert.equal(big.status, 413);
    const bomb = snappyCompress(Buffer.alloc(30_000)); // small on the wire, 30 kB once decompressed
    assert.ok(bomb.length <= 2048, `bomb is ${bomb.length} bytes`);
    const res = await post(app, '/api/v1/write', V1, bomb);
    assert.equal(res.status, 413);
    assert.match(((await res.json()) as { message: string }).message, /maxDecompressedBytes=16384/);
  });

  it('answers 415 for unknown content types, protos and encodings', async () => {
    const body = snappyCompress(encodeWriteRequestV1([]));
    for (const headers of [{ 'Content-Type': 'application/json', 'Content-Encoding': 'snappy' }, { ...V1, 'Content-Type': 'application/x-protobuf;proto=x.Y' }, { ...V1, 'Content-Encoding': 'zstd' }]) {
      assert.equal((await post(app, '/api/v1/write', headers, body)).status, 415);
    }
  });

  it('answers 429 with Retry-After beyond maxInflightRequests', async () => {
    // Hold one request open (headers sent, body unfinished), then send a second.
    const url = new URL(`${app.url}/api/v1/write`);
    const held = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...V1, 'Content-Length': '100' } });
    const heldDone = new Promise<number>((resolve, reject) => {
      held.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0)));
      held.on('error', reject);
    });
    held.write(Buffer.alloc(10));
    try {
      let res: Response | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        res = await post(app, '/api/v1/write', V1, snappyCompress(encodeWriteRequestV1([])));
        if (res.status === 429) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(res?.status, 429);
      assert.equal(res?.headers.get('retry-after'), '1');
    } finally {
      held.end(Buffer.alloc(90));
    }
    assert.equal(await heldDone, 400); // 100 zero bytes are not a snappy block
  });

  it('imports the text format, adding ?cluster= and naming the bad line', async () => {
    const ok = await post(app, '/api/v1/import/prometheus?cluster=http-text', { 'Content-Type': 'text/plain' }, `# TYPE apiserver_request_total counter\napiserver_request_total{verb="GET",code="200"} 7 ${t0}\n`);
    assert.equal(ok.status, 204);
    const clusters = (await (await fetch(`${app.url}/api/v1/clusters`)).json()) as { name: string }[];
    assert.ok(clusters.some((c) => c.name === 'http-text'));
    const bad = await post(app, '/api/v1/import/prometheus', { 'Content-Type': 'text/plain' }, 'up 1\nup{a="b" 2\n');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /^line 2:/);
  });

  it('counts requests by protocol and code', async () => {
    assert.ok((await metricValue(app, 'wavewatch_ingest_requests_total{protocol="remote_write_v1",code="204"}')) >= 1);
    assert.ok((await metricValue(app, 'wavewatch_ingest_requests_total{protocol="unknown",code="415"}')) >= 3);
    assert.ok((await metricValue(app, 'wavewatch_ingest_rejections_total{reason="limit"}')) >= 1);
  });
});
