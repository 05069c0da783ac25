import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, type RunningApp } from './support/start-app.js';

const T0 = Date.parse('2024-12-11T22:00:00Z');

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

// Minimal apiserver exposition for one cluster at one time: a counter that grows by `rate`
// requests per second and a fixed node count.
function exposition(cluster: string, tMs: number, total: number): string {
  return [
    `apiserver_request_total{cluster="${cluster}",instance="a",verb="LIST",resource="pods",code="200"} ${total} ${tMs}`,
    `apiserver_storage_objects{cluster="${cluster}",instance="a",resource="nodes"} 100 ${tMs}`,
    `up{cluster="${cluster}",instance="a",job="apiserver"} 1 ${tMs}`,
    '',
  ].join('\n');
}

describe('gate and alerts API', () => {
  let running: RunningApp;
  before(async () => {
    running = await startApp();
  });
  after(async () => {
    await running.close();
  });

  it('answers 404 for an unknown rollout on both gate routes', async () => {
    for (const route of ['health', 'gate']) {
      const res = await fetch(`${running.url}/api/v1/rollouts/nope/${route}`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: string }).error, 'not_found');
    }
  });

  it('holds (409 on /gate, 200 on /health) while a rollout has no telemetry, and lists alerts as an array', async () => {
    const res = await post(`${running.url}/api/v1/deploy-events`, {
      eventId: 'e1',
      type: 'rollout_started',
      rolloutId: 'r-empty',
      service: 'agent',
      version: 'v1',
      at: new Date(T0).toISOString(),
      plan: [{ wave: 'wave-1', clusters: ['ghost-a'] }],
    });
    assert.ok(res.status < 300, `deploy event rejected: ${res.status}`);
    const gate = await fetch(`${running.url}/api/v1/rollouts/r-empty/gate`);
    assert.equal(gate.status, 409);
    const body = (await gate.json()) as { rolloutId: string; verdict: string; evaluatedAt: string; reasons: { code: string }[] };
    assert.equal(body.rolloutId, 'r-empty');
    assert.notEqual(body.verdict, 'proceed');
    assert.ok(!Number.isNaN(Date.parse(body.evaluatedAt)));
    assert.ok(body.reasons.length > 0);
    const health = await fetch(`${running.url}/api/v1/rollouts/r-empty/health`);
    assert.equal(health.status, 200);
    const alerts = await fetch(`${running.url}/api/v1/alerts?state=all`);
    assert.equal(alerts.status, 200);
    assert.ok(Array.isArray(await alerts.json()));
  });

  it('rejects a bad state filter with a reason', async () => {
    const res = await fetch(`${running.url}/api/v1/alerts?state=open`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /state/);
  });

  it('evaluates in event time: the evaluation status follows the ingest watermark', async () => {
    for (let i = 0; i <= 8; i++) {
      const t = T0 + i * 15_000;
      const res = await fetch(`${running.url}/api/v1/import/prometheus`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: exposition('prod-a', t, 1000 + i * 150) });
      assert.equal(res.status, 204, await res.text());
    }
    const res = await fetch(`${running.url}/api/v1/evaluation/catch-up`, { method: 'POST' });
    assert.equal(res.status, 200);
    const status = (await res.json()) as { watermark: string; evaluatedThrough: string };
    assert.equal(status.watermark, new Date(T0 + 8 * 15_000).toISOString());
    assert.equal(status.evaluatedThrough, new Date(T0 + 8 * 15_000).toISOString());
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(metrics, /wavewatch_analysis_evaluated_timestamp_seconds \d/);
    assert.match(metrics, /wavewatch_alerts_firing\{alertname="TelemetryLost",severity="critical"\} 0/);
  });
});
