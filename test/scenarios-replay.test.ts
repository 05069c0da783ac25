import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groundTruth, loadScenario, scenarioPath } from '../scenarios/index.js';
import { fetchAlerts, replay, type ReplayResult } from '../scenarios/replay-runner.js';
import { score } from '../scenarios/score.js';
import { startApp, type RunningApp } from './support/start-app.js';

// Replays a short scenario into the real service through its public HTTP contracts. Alert
// targets are not asserted here (the analysis owns them); the transport and contracts are.
describe('replay into the running service', () => {
  let app: RunningApp;
  let result: ReplayResult;
  const scenario = loadScenario(scenarioPath('smoke'));

  before(async () => {
    app = await startApp();
    result = await replay(scenario, app.url);
  });
  after(async () => {
    await app?.close();
  });

  it('every remote_write request was accepted with 204', () => {
    assert.ok(result.writeRequests > 0);
    assert.deepEqual(Object.keys(result.writeStatuses), ['204']);
    assert.equal(result.writeStatuses['204'], result.writeRequests);
  });

  it('every deploy event was accepted and the rollout shows the waves', async () => {
    assert.equal(result.events.length, 2 + 2 * scenario.rollout!.waves.length);
    for (const e of result.events) assert.ok(e.status >= 200 && e.status < 300, `${e.eventId}: ${e.status} ${e.body}`);
    const res = await fetch(`${app.url}/api/v1/rollouts/${scenario.rollout!.id}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { rolloutId: string; status: string; waves: { wave: string }[] };
    assert.equal(body.rolloutId, scenario.rollout!.id);
    assert.equal(body.status, 'completed');
    assert.deepEqual(body.waves.map((w) => w.wave), scenario.rollout!.waves.map((w) => w.name));
  });

  it('asked the gate before every wave and got a contract answer', () => {
    assert.deepEqual(result.gates.map((g) => g.wave), scenario.rollout!.waves.map((w) => w.name));
    for (const g of result.gates) {
      assert.ok(g.status === 200 || g.status === 409, `gate before ${g.wave}: ${g.status}`);
      assert.ok(['proceed', 'hold', 'rollback'].includes(g.verdict ?? ''), `verdict ${g.verdict}`);
    }
  });

  it('the alerts endpoint answers and the score can be computed', async () => {
    const alerts = await fetchAlerts(app.url);
    assert.ok(Array.isArray(alerts));
    const report = score(groundTruth(scenario), alerts, result.gates);
    assert.equal(report.gates.length, scenario.rollout!.waves.length);
  });
});
