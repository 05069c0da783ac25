import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RolloutView } from '../src/rollouts/rollout-view.js';
import { getJson, postEvents } from './support/events-client.js';
import { startApp, type RunningApp } from './support/start-app.js';

interface GateBody {
  verdict: string;
  reasons: { code: string; severity: string; wave: string | null; cluster: string | null }[];
}

function configFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ww-gate-')), 'wavewatch.yaml');
  writeFileSync(path, 'events:\n  maxClustersPerWave: 4\nintegrations:\n  maxBodyBytes: 4096\n');
  return path;
}

// The gate's HTTP shape (DESIGN §3) for every method and body a deploy tool sends, and
// per-cluster progress as GET /rollouts/{id} and the gate show it.
describe('gate methods, ?wait=true and per-cluster progress', () => {
  let running: RunningApp;
  before(async () => {
    running = await startApp({ WAVEWATCH_CONFIG: configFile() });
    const r = await postEvents(running.url, {
      type: 'rollout_started',
      rolloutId: 'pc',
      plan: [
        { wave: 'wave-1', clusters: ['a', 'b'] },
        { wave: 'wave-2', clusters: ['c'] },
      ],
      at: '2025-01-01T00:00:00Z',
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
  });
  after(async () => {
    await running?.close();
  });

  it('answers GET and POST on /gate and /health with any body and content type; ?wait=true turns a hold into 503 + Retry-After', async () => {
    const flaggerBody = JSON.stringify({ name: 'agent', namespace: 'prod', phase: 'Progressing', checksum: 'x', metadata: {} });
    for (const init of [
      { method: 'GET' },
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: flaggerBody },
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not json at all' },
      { method: 'POST', body: new Uint8Array([1, 2, 3]) },
    ]) {
      const health = await fetch(`${running.url}/api/v1/rollouts/pc/health`, init);
      assert.equal(health.status, 200, `${init.method} /health`);
      assert.equal(((await health.json()) as GateBody).verdict, 'hold');
      const gate = await fetch(`${running.url}/api/v1/rollouts/pc/gate`, init);
      assert.equal(gate.status, 409, `${init.method} /gate`);
      assert.equal(gate.headers.get('retry-after'), null);
      await gate.arrayBuffer();
      const wait = await fetch(`${running.url}/api/v1/rollouts/pc/gate?wait=true`, init);
      assert.equal(wait.status, 503, `${init.method} /gate?wait=true`);
      assert.equal(wait.headers.get('retry-after'), '15');
      assert.equal(((await wait.json()) as GateBody).verdict, 'hold');
    }
  });

  it('refuses a POST body past integrations.maxBodyBytes (413) and an unknown rollout (404) on POST too', async () => {
    const big = await fetch(`${running.url}/api/v1/rollouts/pc/gate`, { method: 'POST', body: 'x'.repeat(5000) });
    assert.equal(big.status, 413);
    assert.match(((await big.json()) as { message: string }).message, /at most 4096 bytes/);
    const unknown = await fetch(`${running.url}/api/v1/rollouts/nope/gate?wait=true`, { method: 'POST', body: '{}' });
    assert.equal(unknown.status, 404);
  });

  it('completes a wave only when all its clusters have, and shows each cluster', async () => {
    const ev = (type: string, cluster: string, minute: number) =>
      postEvents(running.url, { type, rolloutId: 'pc', wave: 'wave-1', clusters: [cluster], at: `2025-01-01T00:0${minute}:00Z` });
    assert.equal((await ev('cluster_started', 'a', 1)).status, 202);
    assert.equal((await ev('cluster_completed', 'a', 2)).status, 202);
    let s = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/pc`);
    assert.equal(s.body.waves[0]?.status, 'in_progress');
    assert.deepEqual(s.body.waves[0]?.clusterStatus, { a: 'completed', b: 'pending' });
    await ev('cluster_started', 'b', 3);
    await ev('cluster_completed', 'b', 4);
    s = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/pc`);
    assert.equal(s.body.waves[0]?.status, 'completed');
    assert.equal(s.body.waves[0]?.completedAt, '2025-01-01T00:04:00.000Z');
  });

  it('shows a failed cluster in the rollout and as a critical deploy_failed reason holding the gate', async () => {
    await postEvents(running.url, { type: 'cluster_started', rolloutId: 'pc', wave: 'wave-2', clusters: ['c'], at: '2025-01-01T00:05:00Z' });
    await postEvents(running.url, { type: 'cluster_failed', rolloutId: 'pc', wave: 'wave-2', clusters: ['c'], at: '2025-01-01T00:06:00Z' });
    const s = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/pc`);
    assert.deepEqual([s.body.waves[1]?.status, s.body.waves[1]?.clusterStatus], ['in_progress', { c: 'failed' }]);
    const gate = await getJson<GateBody>(`${running.url}/api/v1/rollouts/pc/health`);
    assert.equal(gate.body.verdict, 'hold');
    const failed = gate.body.reasons.filter((r) => r.code === 'deploy_failed');
    assert.deepEqual(failed.map((r) => [r.severity, r.wave, r.cluster]), [['critical', 'wave-2', 'c']]);
  });

  it('refuses growing a wave past events.maxClustersPerWave with a one-line reason, and counts it', async () => {
    const r = await postEvents(running.url, { type: 'cluster_started', rolloutId: 'pc', wave: 'wave-2', clusters: ['d', 'e', 'f', 'g'] });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'events[0].clusters: wave "wave-2" of rollout "pc" would hold 5 clusters, more than events.maxClustersPerWave=4'.replace('events[0].', ''));
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(metrics, /wavewatch_deploy_events_total\{type="cluster_started",outcome="rejected"\} 1/);
    const s = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/pc`);
    assert.deepEqual(s.body.waves[1]?.clusters, ['c']);
  });
});
