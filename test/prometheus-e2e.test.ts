import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { PROMETHEUS_BINARY, prometheusAvailable, scrapeAndRemoteWriteConfig, startPrometheus, type RunningPrometheus } from '../bench/prometheus-process.js';
import { poll } from './support/poll.js';
import { startApp, type RunningApp } from './support/start-app.js';

// A real Prometheus 2.42 scrapes a small kube-apiserver exposition served here and
// remote-writes to the wavewatch under test; the samples must come out as signal points.

const available = prometheusAvailable();
if (!available) console.log(`# skipped: ${PROMETHEUS_BINARY} not found (CI installs the prometheus package)`);

const CLUSTER = 'e2e-prom';

function exposition(scrape: number): string {
  return [
    '# HELP apiserver_request_total Counter of apiserver requests.',
    '# TYPE apiserver_request_total counter',
    `apiserver_request_total{code="200",resource="pods",verb="LIST"} ${100 + 30 * scrape}`,
    `apiserver_request_total{code="200",resource="pods",verb="GET"} ${200 + 60 * scrape}`,
    '# TYPE apiserver_current_inflight_requests gauge',
    'apiserver_current_inflight_requests{request_kind="readOnly"} 7',
    'apiserver_current_inflight_requests{request_kind="mutating"} 3',
    '# TYPE apiserver_storage_objects gauge',
    'apiserver_storage_objects{resource="nodes"} 12',
    '',
  ].join('\n');
}

describe('Prometheus 2.42 remote_write end to end', { skip: available ? false : 'prometheus binary not found' }, () => {
  let app: RunningApp;
  let exporter: Server;
  let prometheus: RunningPrometheus;

  before(async () => {
    app = await startApp();
    let scrapes = 0;
    exporter = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end(exposition(scrapes++));
    });
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const address = exporter.address();
    const target = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    prometheus = await startPrometheus(scrapeAndRemoteWriteConfig({ target, cluster: CLUSTER, writeUrl: `${app.url}/api/v1/write` }));
  });

  after(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => (exporter ? exporter.close(resolve) : resolve(undefined)));
    await app?.close();
  });

  it('turns scraped kube-apiserver samples into signal points of the cluster', async () => {
    const cluster = await poll('the cluster to appear', 60, async () => {
      const clusters = (await (await fetch(`${app.url}/api/v1/clusters`)).json()) as { name: string; nodes: number | null; signals: string[] }[];
      return clusters.find((c) => c.name === CLUSTER);
    });
    assert.ok(cluster.signals.includes('api_inflight'), JSON.stringify(cluster));

    const points = await poll('api_inflight points', 60, async () => {
      const res = await fetch(`${app.url}/api/v1/clusters/${CLUSTER}/signals?signal=api_inflight`);
      const body = (await res.json()) as { signals: Record<string, { v: number }[]> };
      const values = body.signals.api_inflight ?? [];
      return values.length > 0 ? values : undefined;
    });
    // readOnly 7 + mutating 3, summed per cluster
    assert.equal(points.at(-1)!.v, 10);

    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const accepted = Number(/wavewatch_ingest_samples_total\{outcome="accepted"\} (\S+)/.exec(metrics)?.[1]);
    assert.ok(accepted > 0, `accepted samples: ${accepted}`);
    assert.match(metrics, /wavewatch_ingest_requests_total\{protocol="remote_write_v1",code="204"\} [1-9]/);
  });
});
