import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SeriesSink } from '../src/signals/signal.types.js';
import { SERIES_SINK } from '../src/signals/signals.tokens.js';
import { startApp, type RunningApp } from './support/start-app.js';

// The read API of the signal store over HTTP, fed through the SERIES_SINK the ingest uses.

const T0 = Date.UTC(2024, 11, 11, 22, 0, 0);
const STEP = 15_000;

interface ClusterBody {
  name: string;
  nodes: number | null;
  capacitySeats: number;
  lastSampleAt: string | null;
  signals: string[];
}

interface SignalsBody {
  cluster: string;
  stepSeconds: number;
  signals: Record<string, Array<{ t: string; v: number }>>;
}

describe('signals HTTP API', () => {
  let running: RunningApp;

  before(async () => {
    running = await startApp();
    const sink = running.app.get<SeriesSink>(SERIES_SINK);
    const labels = (extra: Record<string, string>) =>
      Object.entries({ cluster: 'prod-a', instance: '10.0.0.1:6443', ...extra })
        .map(([name, value]) => ({ name, value }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    for (let i = 0; i <= 40; i++) {
      const t = T0 + i * STEP;
      const result = sink.append([
        { labels: labels({ __name__: 'apiserver_request_total', verb: 'LIST', code: '200' }), samples: [{ timestampMs: t, value: 150 * i }] },
        { labels: labels({ __name__: 'apiserver_storage_objects', resource: 'nodes' }), samples: [{ timestampMs: t, value: 42 }] },
      ]);
      assert.equal(result.accepted, 2);
    }
  });
  after(async () => {
    await running.close();
  });

  it('lists clusters with size, capacity and the newest sample time', async () => {
    const res = await fetch(`${running.url}/api/v1/clusters`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as ClusterBody[];
    assert.equal(body.length, 1);
    assert.equal(body[0]!.name, 'prod-a');
    assert.equal(body[0]!.nodes, 42);
    assert.equal(body[0]!.capacitySeats, running.config.analysis.defaultCapacitySeats);
    assert.equal(body[0]!.lastSampleAt, new Date(T0 + 40 * STEP).toISOString());
    assert.ok(body[0]!.signals.includes('api_request_rate'));
  });

  it('serves points of the selected signals over a range, without NaN points', async () => {
    const from = new Date(T0 + 5 * STEP).toISOString();
    const res = await fetch(`${running.url}/api/v1/clusters/prod-a/signals?from=${from}&to=${T0 + 9 * STEP}&signal=api_request_rate,nodes&signal=api_read_rate`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as SignalsBody;
    assert.equal(body.cluster, 'prod-a');
    assert.equal(body.stepSeconds, 15);
    assert.deepEqual(Object.keys(body.signals).sort(), ['api_read_rate', 'api_request_rate', 'nodes']);
    assert.deepEqual(body.signals.api_request_rate!.map((p) => p.t), [5, 6, 7, 8, 9].map((i) => new Date(T0 + i * STEP).toISOString()));
    for (const p of body.signals.api_request_rate!) assert.ok(Math.abs(p.v - 10) < 1e-9);
    assert.ok(body.signals.nodes!.every((p) => p.v === 42));
  });

  it('defaults to the hour before the newest sample and leaves out steps not yet complete', async () => {
    const res = await fetch(`${running.url}/api/v1/clusters/prod-a/signals?signal=nodes`);
    const body = (await res.json()) as SignalsBody;
    const points = body.signals.nodes!;
    assert.ok(points.length >= 38 && points.length <= 40, String(points.length));
    assert.ok(Date.parse(points[points.length - 1]!.t) < T0 + 40 * STEP);
  });

  it('answers 404 for an unknown cluster and 400 with a reason for bad parameters', async () => {
    const missing = await fetch(`${running.url}/api/v1/clusters/nope/signals`);
    assert.equal(missing.status, 404);
    for (const query of ['from=yesterday', 'signal=no_such_signal', 'from=2024-12-11T23:00:00Z&to=2024-12-11T22:00:00Z', 'from=0&to=9999999999999']) {
      const res = await fetch(`${running.url}/api/v1/clusters/prod-a/signals?${query}`);
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(body.error, 'bad_request');
      assert.ok(body.message.length > 0 && !body.message.includes('\n'));
    }
  });

  it('exports the store metrics on /metrics', async () => {
    const text = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(text, /^wavewatch_signal_active_series 2$/m);
    assert.match(text, /^wavewatch_signal_clusters 1$/m);
    assert.match(text, /^wavewatch_signal_series_evicted_total 0$/m);
    assert.match(text, new RegExp(`^wavewatch_signal_watermark_timestamp_seconds ${(T0 + 40 * STEP) / 1000}$`, 'm'));
  });
});
