import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { PROMETHEUS_BINARY, prometheusAvailable, scrapeAndRemoteWriteConfig, startPrometheus, type RunningPrometheus } from '../bench/prometheus-process.js';
import { poll } from './support/poll.js';
import { startApp, type RunningApp } from './support/start-app.js';

// An HA pair: two real Prometheus 2.42 processes scrape the same target and remote-write to
// one wavewatch, differing only in their `prometheus_replica` external label. With the
// replica label out of series identity the pair's second copy of each sample falls out as
// out of order: the request rate is the target's 10/s — what one Prometheus gives — not 20/s.

const available = prometheusAvailable();
if (!available) console.log(`# skipped: ${PROMETHEUS_BINARY} not found (CI installs the prometheus package)`);

const CLUSTER = 'ha-pair';
const RATE = 10;
const STEP_SECONDS = 5;

function prometheusConfig(replica: string, target: string, writeUrl: string): string {
  return scrapeAndRemoteWriteConfig({ target, cluster: CLUSTER, writeUrl, externalLabels: { prometheus_replica: replica } });
}

async function metric(app: RunningApp, line: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return Number(text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1] ?? NaN);
}

describe('HA Prometheus pair (replica labels)', { skip: available ? false : 'prometheus binary not found' }, () => {
  let app: RunningApp;
  let exporter: Server;
  const pair: RunningPrometheus[] = [];

  before(async () => {
    app = await startApp({ WAVEWATCH_STEP_SECONDS: String(STEP_SECONDS) });
    const start = Date.now();
    // a counter growing at RATE per second of wall time, whoever scrapes it and when
    exporter = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end(`# TYPE apiserver_request_total counter\napiserver_request_total{code="200",resource="pods",verb="GET"} ${(RATE * (Date.now() - start)) / 1000}\n`);
    });
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const address = exporter.address();
    const target = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    for (const replica of ['a', 'b']) pair.push(await startPrometheus(prometheusConfig(replica, target, `${app.url}/api/v1/write`)));
  });

  after(async () => {
    await Promise.all(pair.map((p) => p.stop()));
    await new Promise((resolve) => (exporter ? exporter.close(resolve) : resolve(undefined)));
    await app?.close();
  });

  it('counts the target once: the request rate is the single-Prometheus rate, the duplicates are out of order', async () => {
    const rates = await poll('six complete steps of api_request_rate', 90, async () => {
      const res = await fetch(`${app.url}/api/v1/clusters/${CLUSTER}/signals?signal=api_request_rate`);
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as { signals: Record<string, { v: number }[]> };
      const values = (body.signals.api_request_rate ?? []).map((p) => p.v);
      // the first steps may be partial (the pair starts scraping mid-step)
      return values.length >= 8 ? values.slice(2) : undefined;
    });
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    assert.ok(Math.abs(mean - RATE) < 0.15 * RATE, `mean rate ${mean.toFixed(2)}/s over ${rates.map((r) => r.toFixed(1)).join(', ')}; doubled would be ${2 * RATE}`);
    for (const r of rates) assert.ok(r < 1.5 * RATE, `step rate ${r}`);
    // one series per target and metric, not one per replica: the pair's samples interleave on
    // it, a copy older than what the other replica already sent being dropped as out of order
    assert.equal(await metric(app, 'wavewatch_signal_active_series'), 2, 'apiserver_request_total and up');
    console.log(`# HA pair: mean rate ${mean.toFixed(2)}/s (target ${RATE}/s), out-of-order samples ${await metric(app, 'wavewatch_ingest_samples_total{outcome="out_of_order"}')}`);
  });
});
