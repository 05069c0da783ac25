import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { Subject } from 'rxjs';
import type { AnalysisResult, ClusterStatus, GateReason, RolloutHealth, Verdict } from '../analysis/analysis.types.js';
import { loadConfig } from '../config/load-config.js';
import type { EvaluationLoop } from '../evaluation/evaluation-loop.js';
import { RolloutHistory } from './rollout-history.js';

const reason = (code: GateReason['code'], severity: GateReason['severity'], cluster: string): GateReason => ({ code, severity, wave: 'w1', cluster, signal: null, observed: null, baseline: null, message: `${code} on ${cluster}` });
const health = (rolloutId: string, verdict: Verdict, reasons: GateReason[] = []): RolloutHealth => ({ rolloutId, verdict, evaluatedAt: 0, reasons, nextWave: null, dns: [] });
const dnsCluster = (cluster: string, projected: number): ClusterStatus => ({
  cluster,
  nodes: 10,
  capacitySeats: 600,
  busySeats: 1,
  utilization: 0.01,
  lastSampleMs: 0,
  dns: { cluster, visibleErrorRatio: 0, missFailureRatio: projected, cacheHitRatio: 0.9, projectedErrorRatio: projected, timeToImpactSeconds: projected > 0 ? 60 : null },
});
const result = (evaluatedAt: number, rollouts: RolloutHealth[], clusters: ClusterStatus[] = []): AnalysisResult => ({ evaluatedAt, findings: [], rollouts, clusters });

function setup(web: Partial<ReturnType<typeof loadConfig>['web']> = {}) {
  const base = loadConfig({});
  const config = { ...base, signals: { ...base.signals, windowSeconds: 300 }, web: { ...base.web, ...web } };
  const evaluated = new Subject<AnalysisResult>();
  const registry = new Registry();
  const history = new RolloutHistory({ evaluated } as unknown as EvaluationLoop, config, registry);
  const dropped = async (kind: string): Promise<number> => (await registry.getSingleMetric('wavewatch_web_history_dropped_total')!.get()).values.find((v) => v.labels.kind === kind)?.value ?? -1;
  return { evaluated, history, dropped };
}

describe('RolloutHistory', () => {
  it('records a verdict change, or a change of its critical reasons, not warnings that come and go', () => {
    const { evaluated, history } = setup();
    evaluated.next(result(0, [health('r', 'proceed')]));
    evaluated.next(result(15_000, [health('r', 'proceed', [reason('control_plane_overload', 'warning', 'a')])]));
    evaluated.next(result(30_000, [health('r', 'hold', [reason('next_wave_capacity', 'warning', 'b')])]));
    evaluated.next(result(45_000, [health('r', 'hold', [reason('telemetry_lost', 'critical', 'a')])]));
    evaluated.next(result(60_000, [health('r', 'hold', [reason('telemetry_lost', 'critical', 'a')])]));
    assert.deepEqual(history.verdictChanges('r').map((c) => [c.atMs, c.verdict]), [[0, 'proceed'], [30_000, 'hold'], [45_000, 'hold']]);
  });

  it('folds equal gate answers in a row and keeps their span and count', () => {
    const { history } = setup();
    history.recordGateAnswer('r', 1000, 'proceed');
    history.recordGateAnswer('r', 2000, 'proceed');
    history.recordGateAnswer('r', 3000, 'hold');
    assert.deepEqual(history.gateAnswers('r'), [{ fromMs: 1000, toMs: 2000, verdict: 'proceed', count: 2 }, { fromMs: 3000, toMs: 3000, verdict: 'hold', count: 1 }]);
  });

  it('is bounded: the oldest rollout makes room, clusters past the limit and old changes are dropped and counted', async () => {
    const { evaluated, history, dropped } = setup({ historyRollouts: 2, historyClusters: 1, verdictChangesPerRollout: 2 });
    evaluated.next(result(0, [health('r1', 'proceed'), health('r2', 'proceed')], [dnsCluster('a', 0), dnsCluster('b', 0)]));
    evaluated.next(result(15_000, [health('r3', 'hold')]));
    assert.equal(history.verdictChanges('r1').length, 0, 'r1 evicted');
    assert.equal(history.verdictChanges('r3').length, 1);
    assert.equal(history.cluster('b'), undefined);
    assert.equal(await dropped('rollout'), 1);
    assert.equal(await dropped('cluster'), 1);
    for (const [t, v] of [[30_000, 'rollback'], [45_000, 'hold']] as const) evaluated.next(result(t, [health('r3', v)]));
    assert.deepEqual(history.verdictChanges('r3').map((c) => c.verdict), ['rollback', 'hold']);
    assert.equal(await dropped('verdict_change'), 1);
  });

  it('keeps projected DNS points only within the signal window', () => {
    const { evaluated, history } = setup();
    for (let t = 0; t <= 600_000; t += 15_000) evaluated.next(result(t, [], [dnsCluster('a', t / 1e6)]));
    const a = history.cluster('a')!;
    assert.equal(a.t[0], 300_000);
    assert.equal(a.t.length, a.projected.length);
    assert.equal(a.projected.at(-1), 0.6);
  });
});
