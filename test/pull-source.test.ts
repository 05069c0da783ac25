import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { analysisConfigFrom } from '../src/analysis/analysis-config.js';
import { Analyzer } from '../src/analysis/analyzer.js';
import { rolloutFixture } from '../src/analysis/testing/rollout-fixtures.js';
import { configSchema, type AppConfig } from '../src/config/config.schema.js';
import { SignalStore } from '../src/signals/signal-store.js';
import { signalStoreOptions } from '../src/signals/signal-store.options.js';
import { clientOptions, PrometheusClient, PullQueryError } from '../src/sources/prometheus/prometheus-client.js';
import { PullSource } from '../src/sources/prometheus/pull-source.js';
import { PullMetrics } from '../src/sources/prometheus/pull.metrics.js';
import { startApp } from './support/start-app.js';

// The pull client against a fake store speaking the Prometheus HTTP API: request shape
// (POST form, as Grafana and promtool send it), auth and tenant headers, retries of 429/5xx
// with Retry-After, no retry of 4xx, timeouts, bounded parallelism; and a store that stops
// answering turns into telemetry loss (hold), never into a calm fleet.

interface Seen {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly form: URLSearchParams;
  readonly atMs: number;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

const matrix = (result: unknown[]): string => JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });

describe('Prometheus API pull client', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  const seen: Seen[] = [];
  let inflight = 0;
  let maxInflight = 0;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        inflight++;
        maxInflight = Math.max(maxInflight, inflight);
        res.on('close', () => inflight--);
        const s = { path: req.url ?? '', headers: req.headers, form: new URLSearchParams(body), atMs: Date.now() };
        seen.push(s);
        handler(s, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    maxInflight = 0;
  });

  const client = (overrides: Record<string, unknown> = {}, registry = new Registry()): { client: PrometheusClient; metrics: PullMetrics; warnings: string[] } => {
    const source = configSchema.parse({ sources: { prometheus: { url, retryBaseMs: 1, queryTimeoutSeconds: 1, ...overrides } } }).sources.prometheus!;
    const metrics = new PullMetrics(registry);
    const warnings: string[] = [];
    return { client: new PrometheusClient(clientOptions(source), metrics, (w) => warnings.push(w)), metrics, warnings };
  };
  const count = async (m: PullMetrics, outcome: string): Promise<number> => (await m.queries.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

  it('POSTs a form to /api/v1/query_range with the bearer token and tenant header, and counts warnings', async () => {
    handler = (_s, res) => res.end(JSON.stringify({ status: 'success', warnings: ['partial: one store down'], data: { resultType: 'matrix', result: [] } }));
    const { client: c, metrics, warnings } = client({ bearerToken: 'secret-token', headers: { 'X-Scope-OrgID': 'tenant-1' } });
    await c.queryRange('sum by (cluster) (up)', 1_700_000_000_000, 1_700_000_015_000, 15_000);
    const s = seen[0]!;
    assert.equal(s.path, '/api/v1/query_range');
    assert.equal(s.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(s.headers.authorization, 'Bearer secret-token');
    assert.equal(s.headers['x-scope-orgid'], 'tenant-1');
    assert.deepEqual([s.form.get('query'), s.form.get('start'), s.form.get('end'), s.form.get('step')], ['sum by (cluster) (up)', '1700000000.000', '1700000015.000', '15.000']);
    assert.equal(s.form.get('partial_response'), 'false');
    assert.deepEqual(warnings, ['partial: one store down']);
    assert.equal((await metrics.warnings.get()).values[0]!.value, 1);
  });

  it('sends basic auth with the password read from its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavewatch-pull-'));
    writeFileSync(join(dir, 'password'), 'hunter2\n');
    handler = (_s, res) => res.end(matrix([]));
    await client({ basicAuth: { username: 'wavewatch', passwordFile: join(dir, 'password') } }).client.queryRange('up', 0, 0, 15_000);
    assert.equal(seen[0]!.headers.authorization, `Basic ${Buffer.from('wavewatch:hunter2').toString('base64')}`);
  });

  it('retries 503 and 429, waiting at least Retry-After, and counts the retries', async () => {
    let n = 0;
    handler = (_s, res) => {
      n++;
      if (n === 1) {
        res.writeHead(503).end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'overloaded' }));
      } else if (n === 2) {
        res.writeHead(429, { 'Retry-After': '1' }).end('slow down');
      } else res.end(matrix([{ metric: { cluster: 'a' }, values: [[1, '2']] }]));
    };
    const { client: c, metrics } = client();
    const result = await c.queryRange('up', 0, 0, 15_000);
    assert.equal(result.length, 1);
    assert.equal(seen.length, 3);
    assert.ok(seen[2]!.atMs - seen[1]!.atMs >= 900, `retried ${seen[2]!.atMs - seen[1]!.atMs} ms after a Retry-After of 1 s`);
    assert.equal(await count(metrics, 'retried'), 2);
    assert.equal(await count(metrics, 'ok'), 1);
  });

  it('does not retry a bad query (400 bad_data) and says why', async () => {
    handler = (_s, res) => res.writeHead(400).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }));
    const { client: c, metrics } = client();
    await assert.rejects(c.queryRange('sum(', 0, 0, 15_000), (e: unknown) => e instanceof PullQueryError && /400: bad_data: parse error/.test(e.message));
    assert.equal(seen.length, 1);
    assert.equal(await count(metrics, 'failed'), 1);
  });

  it('gives up on a store that does not answer after maxAttempts timeouts', async () => {
    handler = () => undefined;
    const { client: c, metrics } = client({ maxAttempts: 2 });
    await assert.rejects(c.queryRange('up', 0, 0, 15_000), PullQueryError);
    assert.equal(seen.length, 2);
    assert.equal(await count(metrics, 'failed'), 1);
  });

  it('keeps at most maxParallelQueries requests in flight', async () => {
    handler = (_s, res) => setTimeout(() => res.end(matrix([])), 30);
    const { client: c } = client({ maxParallelQueries: 2 });
    await Promise.all(Array.from({ length: 8 }, () => c.queryRange('up', 0, 0, 15_000)));
    assert.equal(seen.length, 8);
    assert.equal(maxInflight, 2);
  });

  it('turns a store that stops answering into telemetry loss and a hold, not a calm fleet', async () => {
    let failing = false;
    handler = (s, res) => {
      if (failing) return void res.writeHead(503).end('down');
      if (s.path === '/api/v1/query') return void res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
      const query = s.form.get('query') ?? '';
      if (!query.includes('rate(apiserver_request_total[')) return void res.end(matrix([]));
      const values: [number, string][] = [];
      for (let t = Number(s.form.get('start')); t <= Number(s.form.get('end')) + 1e-6; t += Number(s.form.get('step'))) values.push([t, '40']);
      res.end(matrix([{ metric: { cluster: 'a' }, values }]));
    };
    const config: AppConfig = configSchema.parse({ sources: { prometheus: { url, retryBaseMs: 1, maxAttempts: 2, lookbackSeconds: 600, delaySeconds: 0 } } });
    const registry = new Registry();
    const metrics = new PullMetrics(registry);
    const store = new SignalStore(signalStoreOptions(config));
    const source = new PullSource(config, config.sources.prometheus!, metrics);
    const now = Date.now();
    assert.ok((await source.pullDue(now, store)) >= 38);
    const pulledThrough = store.watermarkMs()!;
    assert.ok(now - pulledThrough < 60_000, 'the newest pulled step is recent');
    assert.equal(store.values('a', 'api_request_rate', pulledThrough - 15_000, pulledThrough - 15_000)[0], 40);

    failing = true;
    const later = now + 120_000;
    await assert.rejects(source.pullDue(later, store), PullQueryError);
    assert.equal(store.watermarkMs(), pulledThrough, 'nothing of the failed batch was kept');
    assert.equal((await metrics.batches.get()).values.find((v) => v.labels.outcome === 'failed')?.value, 1);

    const rollout = rolloutFixture('r1', now - 300_000, [{ wave: 'w1', clusters: ['a'], startedAtMs: now - 300_000 }]);
    const result = new Analyzer().evaluate({ reader: store, rollouts: [rollout], config: analysisConfigFrom(config), nowMs: pulledThrough, wallClockMs: later });
    const health = result.rollouts[0]!;
    assert.notEqual(health.verdict, 'proceed');
    assert.ok(health.reasons.some((r) => r.code === 'telemetry_lost' && r.cluster === 'a'), JSON.stringify(health.reasons));
  });

  it('runs in the service: backfills at start, then the cluster and the pull counters are served', async () => {
    handler = (s, res) => {
      if (s.path === '/api/v1/query') return void res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
      const values: [number, string][] = [];
      for (let t = Number(s.form.get('start')); t <= Number(s.form.get('end')) + 1e-6; t += Number(s.form.get('step'))) values.push([t, '12']);
      res.end(matrix((s.form.get('query') ?? '').includes('rate(apiserver_request_total[') ? [{ metric: { cluster: 'pulled-a' }, values }] : []));
    };
    const dir = mkdtempSync(join(tmpdir(), 'wavewatch-pull-app-'));
    writeFileSync(join(dir, 'wavewatch.yaml'), `sources:\n  prometheus:\n    url: ${url}\n    lookbackSeconds: 600\n    delaySeconds: 0\n`);
    const app = await startApp({ WAVEWATCH_CONFIG: join(dir, 'wavewatch.yaml') });
    try {
      let clusters: { name: string; signals: string[] }[] = [];
      for (let i = 0; i < 80 && !clusters.some((c) => c.name === 'pulled-a'); i++) {
        await new Promise((r) => setTimeout(r, 250));
        clusters = (await (await fetch(`${app.url}/api/v1/clusters`)).json()) as typeof clusters;
      }
      assert.ok(clusters.some((c) => c.name === 'pulled-a'), JSON.stringify(clusters));
      // the lookback arrives in batches of maxBatchPoints / clusters steps
      let points: { v: number }[] = [];
      for (let i = 0; i < 120 && points.length < 30; i++) {
        const body = (await (await fetch(`${app.url}/api/v1/clusters/pulled-a/signals?signal=api_request_rate`)).json()) as { signals: Record<string, { v: number }[]> };
        points = body.signals.api_request_rate ?? [];
        if (points.length < 30) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(points.length >= 30, `the lookback was backfilled: ${points.length} points`);
      assert.ok(points.every((p) => p.v === 12));
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      assert.match(metrics, /wavewatch_pull_batches_total\{outcome="ok"\} [1-9]/);
      assert.match(metrics, /wavewatch_pull_queries_total\{outcome="ok"\} [1-9]/);
    } finally {
      await app.close();
    }
  });
});
