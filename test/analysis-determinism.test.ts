import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenario, scenarioPath } from '../scenarios/index.js';
import { episodes, replayScenario } from './support/analysis-replay.js';

// DESIGN §5 / issue 10: the same replay gives the same alerts and gate answers whatever the
// ingest speed. 'stepwise' evaluates each scrape as it lands (live); 'ahead' ingests the whole
// scenario first and evaluates every step afterwards, as of its own time (a fast replay or a
// catch-up after a stall). Every figure, alert and gate answer must match exactly.

for (const name of ['near-threshold-seats', 'collapse-small']) {
  describe(`determinism on ${name}`, () => {
    it('gives the same findings, alerts and gate answers at both ingest speeds', () => {
      const scenario = loadScenario(scenarioPath(name));
      const live = replayScenario(scenario, 'stepwise');
      const fast = replayScenario(scenario, 'ahead');
      assert.equal(fast.steps.length, live.steps.length);
      live.steps.forEach((step, i) => assert.deepStrictEqual(fast.steps[i], step, `step ${i} (${new Date(step.evaluatedAt).toISOString()})`));
      assert.deepStrictEqual([...fast.gates], [...live.gates]);
      assert.deepStrictEqual(fast.alerts, live.alerts);
      assert.ok(live.alerts.length > 0, 'the scenario raises alerts to compare');
      assert.deepStrictEqual([...episodes(fast.alerts)], [...episodes(live.alerts)]);
    });
  });
}
