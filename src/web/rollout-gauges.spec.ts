import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { Subject } from 'rxjs';
import type { AlertsService } from '../alerts/alerts.service.js';
import type { AnalysisResult, ClusterStatus } from '../analysis/analysis.types.js';
import { rolloutFixture } from '../analysis/testing/rollout-fixtures.js';
import { loadConfig } from '../config/load-config.js';
import type { EvaluationLoop } from '../evaluation/evaluation-loop.js';
import type { RolloutsService } from '../rollouts/rollouts.service.js';
import type { SignalReader } from '../signals/signal.types.js';
import { clusterRisk, dnsState, RolloutGauges } from './rollout-gauges.js';

const status = (cluster: string, utilization: number, projected = 0, visible = 0): ClusterStatus => ({
  cluster,
  nodes: 100,
  capacitySeats: 600,
  busySeats: utilization * 600,
  utilization,
  lastSampleMs: 0,
  dns: { cluster, visibleErrorRatio: visible, missFailureRatio: projected, cacheHitRatio: 0.9, projectedErrorRatio: projected, timeToImpactSeconds: null },
});

describe('RolloutGauges', () => {
  it('risk is 1 at a limit; DNS state tells hidden from visible failure', () => {
    assert.equal(clusterRisk(status('a', 0.4), 0.8, 0.01), 0.5);
    assert.equal(clusterRisk(status('a', 0.1, 0.02), 0.8, 0.01), 2);
    assert.deepEqual([dnsState(status('a', 0), 0.01), dnsState(status('a', 0, 0.5, 0.001), 0.01), dnsState(status('a', 0, 0.5, 0.05), 0.01)], [0, 1, 2]);
  });

  it('exports the clusters of active rollouts first, then the riskiest, up to web.metricsClusters, and counts the rest', async () => {
    const base = loadConfig({});
    const config = { ...base, web: { ...base.web, metricsClusters: 3 } };
    const rollout = rolloutFixture('r1', 0, [{ wave: 'w1', clusters: ['calm-wave'], startedAtMs: 0 }, { wave: 'w2', clusters: ['calm-control'], startedAtMs: null }]);
    const registry = new Registry();
    const evaluated = new Subject<AnalysisResult>();
    const reader = { stepMs: 15_000, values: () => Float64Array.of(NaN, 3, NaN) } as unknown as SignalReader;
    new RolloutGauges(
      { evaluated } as unknown as EvaluationLoop,
      { get: (id: string) => (id === 'r1' ? rollout : undefined) } as unknown as RolloutsService,
      { openAlerts: () => [] } as unknown as AlertsService,
      reader,
      config,
      registry,
    );
    const clusters = [status('calm-control', 0.1), status('calm-wave', 0.1), status('hot', 0.95), status('warm', 0.5), status('cool', 0.2)];
    evaluated.next({ evaluatedAt: 60_000, findings: [], rollouts: [{ rolloutId: 'r1', verdict: 'proceed', evaluatedAt: 60_000, reasons: [], nextWave: null, dns: [] }], clusters });
    const values = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;
    assert.deepEqual((await values('wavewatch_cluster_risk')).map((v) => v.labels.cluster).sort(), ['calm-control', 'calm-wave', 'hot']);
    assert.deepEqual(
      (await values('wavewatch_rollout_wave_cluster_info')).map((v) => `${v.labels.cluster}:${v.labels.role}`).sort(),
      ['calm-control:control', 'calm-wave:wave'],
    );
    assert.equal((await values('wavewatch_cluster_apf_rejected_per_second')).find((v) => v.labels.cluster === 'hot')?.value, 3, 'newest final rejection rate');
    assert.equal((await values('wavewatch_metrics_omitted_total')).find((v) => v.labels.kind === 'cluster')?.value, 2);
    assert.deepEqual((await values('wavewatch_rollout_wave_started_timestamp_seconds')).map((v) => [v.labels.wave, v.value]), [['w1', 0]]);
  });
});
