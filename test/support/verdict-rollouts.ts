import assert from 'node:assert/strict';
import { loadScenario, scenarioPath } from '../../scenarios/index.js';
import { replay } from '../../scenarios/replay-runner.js';
import { startApp, type RunningApp } from './start-app.js';

export interface VerdictRollout {
  readonly url: string;
  readonly rolloutId: string;
}

export interface VerdictApps {
  readonly proceed: VerdictRollout;
  readonly hold: VerdictRollout;
  readonly rollback: VerdictRollout;
  /** the service holding the proceed and hold rollouts, for event adapters */
  readonly app: RunningApp;
  close(): Promise<void>;
}

// Real verdicts for recipe tests, produced through the public contracts only: the "smoke"
// scenario replays to proceed, "collapse-small" to rollback (its 5000-node cluster collapses
// under wave w2), and a rollout whose cluster never reports holds (fail closed). The two
// scenarios share a start time, so each gets its own service.
export async function prepareVerdicts(overrides: Record<string, string | undefined> = {}): Promise<VerdictApps> {
  const [app, other] = await Promise.all([startApp(overrides), startApp()]);
  await replay(loadScenario(scenarioPath('smoke')), app.url);
  await replay(loadScenario(scenarioPath('collapse-small')), other.url);
  const res = await fetch(`${app.url}/api/v1/deploy-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'wave_started', rolloutId: 'recipe-hold', wave: 'wave-1', clusters: ['dark-a'], at: '2025-01-01T00:05:00Z' }),
  });
  assert.equal(res.status, 202, await res.text());
  for (const running of [app, other]) await fetch(`${running.url}/api/v1/evaluation/catch-up`, { method: 'POST' });
  const verdicts = {
    proceed: { url: app.url, rolloutId: 'smoke-rollout' },
    hold: { url: app.url, rolloutId: 'recipe-hold' },
    rollback: { url: other.url, rolloutId: 'r1' },
  };
  for (const [want, r] of Object.entries(verdicts)) {
    const body = (await (await fetch(`${r.url}/api/v1/rollouts/${r.rolloutId}/health`)).json()) as { verdict: string };
    assert.equal(body.verdict, want, `fixture rollout ${r.rolloutId} should be ${want}: ${JSON.stringify(body)}`);
  }
  return { ...verdicts, app, close: async () => void (await Promise.all([app.close(), other.close()])) };
}
