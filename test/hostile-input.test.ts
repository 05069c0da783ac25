import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeWriteRequestV1, encodeWriteRequestV2, snappyCompress } from '../src/ingest/remote-write.codec.js';
import type { RawSeries } from '../src/signals/signal.types.js';
import { startApp, type RunningApp } from './support/start-app.js';

// Hostile input against the whole service over HTTP: each case asserts the bound that
// holds it AND that real data sent with it (or right after it) keeps flowing.

const V1 = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' };
const V2 = { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request', 'Content-Encoding': 'snappy' };
const TEXT = { 'Content-Type': 'text/plain' };
const MIB = 1024 * 1024;

function requests(cluster: string, t: number, value: number, extra: Record<string, string> = {}): RawSeries {
  const labels = Object.entries({ __name__: 'apiserver_request_total', cluster, code: '200', instance: 'a:6443', verb: 'GET', ...extra }).map(([name, v]) => ({ name, value: v }));
  return { labels, samples: [{ value, timestampMs: t }] };
}

async function post(app: RunningApp, path: string, headers: Record<string, string>, body: Uint8Array | string): Promise<Response> {
  return fetch(`${app.url}${path}`, { method: 'POST', headers, body });
}

async function metric(app: RunningApp, line: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return Number(found?.split(' ')[1] ?? NaN);
}

const discarded = (reason: string): string => `wavewatch_ingest_discarded_samples_total{reason="${reason}"}`;

async function lastSampleMs(app: RunningApp, cluster: string): Promise<number | undefined> {
  const clusters = (await (await fetch(`${app.url}/api/v1/clusters`)).json()) as { name: string; lastSampleAt: string | null }[];
  const found = clusters.find((c) => c.name === cluster);
  return found?.lastSampleAt ? Date.parse(found.lastSampleAt) : undefined;
}

/** sends one real sample for `cluster` and checks it arrived */
async function realDataFlows(app: RunningApp, cluster: string): Promise<void> {
  const t = Date.now();
  const res = await post(app, '/api/v1/write', V1, snappyCompress(encodeWriteRequestV1([requests(cluster, t, t / 1000)])));
  assert.equal(res.status, 204);
  assert.equal(await lastSampleMs(app, cluster), t);
}

describe('hostile input', () => {
  let app: RunningApp;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavewatch-hostile-'));
    const configFile = join(dir, 'config.yaml');
    // defaults everywhere but the body timeout, so the trickle case takes a second, not a minute
    writeFileSync(configFile, 'ingest:\n  bodyTimeoutSeconds: 1\n');
    app = await startApp({ WAVEWATCH_CONFIG: configFile });
  });
  after(async () => {
    await app?.close();
  });

  it('future timestamps: drops samples over maxFutureSeconds, counts them, keeps the rest (v1, v2, text)', async () => {
    const before = await metric(app, discarded('too_far_in_future'));
    const now = Date.now();
    const ahead = now + 601_000;
    const v1 = await post(app, '/api/v1/write', V1, snappyCompress(encodeWriteRequestV1([requests('future-v1', now, 1), requests('future-v1', ahead, 2, { verb: 'LIST' })])));
    assert.equal(v1.status, 204);
    const v2 = await post(app, '/api/v1/write', V2, snappyCompress(encodeWriteRequestV2([requests('future-v2', now, 1), requests('future-v2', ahead, 2, { verb: 'LIST' })])));
    assert.equal(v2.status, 204);
    // the case that froze evaluation in year 58887: one timestamp in microseconds
    const micros = now * 1000;
    const text = await post(app, '/api/v1/import/prometheus', TEXT, `apiserver_request_total{cluster="future-text",verb="GET"} 5 ${micros}\napiserver_request_total{cluster="future-text",verb="LIST"} 7 ${now}\n`);
    assert.equal(text.status, 204);
    assert.equal(await metric(app, discarded('too_far_in_future')), before + 3);
    for (const cluster of ['future-v1', 'future-v2', 'future-text']) assert.equal(await lastSampleMs(app, cluster), now, cluster);
    const evaluation = (await (await fetch(`${app.url}/api/v1/evaluation`)).json()) as { watermark: string };
    assert.ok(Date.parse(evaluation.watermark) <= Date.now() + 600_000, `watermark ${evaluation.watermark}`);
    assert.match(evaluation.watermark, /^20\d\d-/);
    // history of any age still replays
    const weekAgo = now - 7 * 24 * 3600_000;
    const old = await post(app, '/api/v1/write', V1, snappyCompress(encodeWriteRequestV1([requests('history', weekAgo, 1)])));
    assert.equal(old.status, 204);
    assert.equal(await lastSampleMs(app, 'history'), weekAgo);
  });

  it('20,000 invented clusters: maxClusters (10,000) holds, the rest is counted, a known cluster keeps flowing', async () => {
    await realDataFlows(app, 'known');
    const known = await metric(app, 'wavewatch_signal_clusters');
    const before = await metric(app, discarded('max_clusters'));
    const rssBefore = process.memoryUsage().rss;
    const t = Date.now();
    const lines = Array.from({ length: 20_000 }, (_, i) => `apiserver_request_total{cluster="invented-${i}",verb="GET",code="200",instance="10.0.0.1:6443"} ${i} ${t}`);
    const res = await post(app, '/api/v1/import/prometheus', TEXT, lines.join('\n'));
    assert.equal(res.status, 204);
    const clusters = await metric(app, 'wavewatch_signal_clusters');
    assert.equal(clusters, 10_000);
    assert.equal(await metric(app, discarded('max_clusters')), before + 20_000 - (10_000 - known));
    const windowBytes = await metric(app, 'wavewatch_signal_window_bytes');
    assert.ok(windowBytes <= clusters * 4096, `signal windows hold ${windowBytes} bytes for ${clusters} clusters`);
    const rssAfter = process.memoryUsage().rss;
    console.log(`# 20,000 invented clusters: rss ${Math.round(rssBefore / MIB)} -> ${Math.round(rssAfter / MIB)} MiB (test process, app in-process); signal windows ${Math.round(windowBytes / 1024)} KiB = ${Math.round(windowBytes / clusters)} B per cluster`);
    await realDataFlows(app, 'known');
  });

  it('a 10 MiB single-line label bomb: dropped and counted (text) or 413 past the body limit; real data keeps flowing', async () => {
    const line = (size: number): string => `apiserver_request_total{cluster="bomb",a="${'x'.repeat(size)}"} 1`;
    const before = await metric(app, discarded('line_too_long'));
    const t = Date.now();
    // maxClusters is reached by now: real data comes from a known cluster
    const real = `apiserver_request_total{cluster="known",verb="LIST"} 1 ${t}`;
    const bomb = `${line(10 * MIB - 200)}\n${real}\n`;
    assert.ok(Buffer.byteLength(bomb) <= 10 * MIB);
    const res = await post(app, '/api/v1/import/prometheus', TEXT, bomb);
    assert.equal(res.status, 204);
    assert.equal(await metric(app, discarded('line_too_long')), before + 1);
    assert.equal(await lastSampleMs(app, 'known'), t, 'the real line of the same request arrived');

    const over = await post(app, '/api/v1/import/prometheus', TEXT, line(10 * MIB + 10));
    assert.equal(over.status, 413);

    // the same bomb as one remote_write label value (small on the wire once compressed)
    const values = await metric(app, discarded('label_value_too_long'));
    const t2 = Date.now() + 1;
    const v1 = snappyCompress(encodeWriteRequestV1([requests('known', t2, 1, { a: 'x'.repeat(9 * MIB) }), requests('known', t2, 1, { verb: 'WATCH' })]));
    assert.equal((await post(app, '/api/v1/write', V1, v1)).status, 204);
    assert.equal(await metric(app, discarded('label_value_too_long')), values + 1);
    assert.equal(await lastSampleMs(app, 'known'), t2);
    await realDataFlows(app, 'known');
  });

  it('a deploy event naming 600,000 clusters is refused with a 4xx; the service keeps answering', async () => {
    const clusters = Array.from({ length: 600_000 }, (_, i) => `c${i}`);
    const res = await fetch(`${app.url}/api/v1/deploy-events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'rollout_started', rolloutId: 'huge', service: 's', version: 'v1', plan: [{ wave: 'w1', clusters }] }),
    });
    assert.ok(res.status === 413 || res.status === 400, `status ${res.status}`);
    const body = (await res.json()) as { message: string };
    assert.ok(!body.message.includes('\n'));
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${app.url}/api/v1/rollouts/huge`)).status, 404);
    await realDataFlows(app, 'known');
  });

  it('a body that trickles: 408 after ingest.bodyTimeoutSeconds and the connection closed, while other requests are served', async () => {
    const url = new URL(`${app.url}/api/v1/write`);
    const trickle = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: { ...V1, 'Content-Length': '100000' } });
    const closed = new Promise<void>((resolve) => trickle.on('close', () => resolve()));
    const status = new Promise<number>((resolve, reject) => {
      trickle.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0)));
      trickle.on('error', reject);
    });
    const timer = setInterval(() => trickle.write(Buffer.from([0])), 100);
    try {
      // served meanwhile
      await realDataFlows(app, 'known');
      assert.equal(await status, 408);
      await closed;
    } finally {
      clearInterval(timer);
      trickle.destroy();
    }
    assert.ok((await metric(app, 'wavewatch_ingest_rejections_total{reason="timeout"}')) >= 1);
    await realDataFlows(app, 'known');
  });
});
