import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groundTruth, loadScenario, scenarioPath, type GroundTruth } from '../scenarios/index.js';
import type { Finding } from '../src/analysis/analysis.types.js';
import { episodes, replayScenario, type ReplayOutcome } from './support/analysis-replay.js';

// Issue 10 on the simulator's new scenarios: concurrent rollouts (attribution, bystander
// gates), a cluster hovering near a threshold (alert episodes), DNS failures of every cause
// (lag and named cause) and the rollback deadline against the true collapse.

interface Detection {
  readonly atMs: number;
  readonly finding: Finding;
}

function detections(run: ReplayOutcome): Detection[] {
  const seen = new Set<string>();
  const out: Detection[] = [];
  for (const step of run.steps) {
    for (const f of step.findings) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      out.push({ atMs: step.evaluatedAt, finding: f });
    }
  }
  return out;
}

/** every finding is required or allowed by the truth, for the rollout it names */
function assertAttribution(truth: GroundTruth, found: readonly Detection[], name: string): void {
  const acceptable = [...truth.required, ...truth.allowed];
  for (const d of found) {
    const f = d.finding;
    const ok = acceptable.some(
      (e) => e.name === f.alertName && f.clusters.includes(e.cluster) && (e.rolloutId === f.rolloutId || (f.rolloutId === null && e.name !== 'RolloutControlPlaneOverload')),
    );
    assert.ok(ok, `${name}: unexpected ${f.key}`);
  }
  for (const e of truth.required) {
    const hit = found.find((d) => d.finding.alertName === e.name && d.finding.clusters.includes(e.cluster) && d.finding.rolloutId === e.rolloutId);
    assert.ok(hit, `${name}: ${e.name} for ${e.cluster} naming ${e.rolloutId} never raised`);
    assert.ok(hit.atMs - e.atMs <= 2 * truth.intervalMs, `${name}: ${e.name} ${e.cluster} late`);
  }
}

for (const name of ['concurrent-two-rollouts', 'concurrent-three-rollouts']) {
  describe(`concurrent rollouts: ${name}`, () => {
    it('blames every overload on the rollout that caused it and gates each rollout on its own harm', () => {
      const scenario = loadScenario(scenarioPath(name));
      const truth = groundTruth(scenario);
      assert.ok(truth.rolloutIds.length >= 2);
      const run = replayScenario(scenario, 'stepwise');
      const found = detections(run);
      assertAttribution(truth, found, name);
      const overloads = found.filter((d) => d.finding.alertName === 'RolloutControlPlaneOverload');
      assert.ok(overloads.length > 0 && overloads.every((d) => d.finding.rolloutId === 'agent-a'), 'overloads name the harmful rollout');
      for (const w of truth.waves) {
        const health = run.gates.get(`${w.rolloutId}/${w.wave}`);
        assert.ok(health, `${name}: no gate answer before ${w.rolloutId} ${w.wave}`);
        const verdict = health.verdict === 'proceed' ? 'proceed' : 'hold';
        assert.equal(verdict, w.expectedGate, `${name} ${w.rolloutId} ${w.wave}: ${JSON.stringify(health.reasons.map((r) => r.message))}`);
      }
      // a bystander with an overloaded cluster in its reached set is told whose it is, and not held by it
      if (name === 'concurrent-three-rollouts') {
        const bystander = run.steps.flatMap((s) => s.rollouts).find((h) => h.rolloutId === 'lister-c' && h.reasons.some((r) => r.cluster === 'big-1' && r.code === 'control_plane_overload'));
        assert.ok(bystander, 'lister-c sees big-1 overloaded');
        const reason = bystander.reasons.find((r) => r.cluster === 'big-1' && r.code === 'control_plane_overload')!;
        assert.equal(reason.severity, 'warning');
        assert.match(reason.message, /agent-a explains it/);
      }
    });
  });
}

describe('steady alerts near a threshold', () => {
  it('keeps one episode for a cluster hovering around 90 % of its seats', () => {
    const scenario = loadScenario(scenarioPath('near-threshold-seats'));
    const run = replayScenario(scenario, 'stepwise');
    assert.deepEqual([...episodes(run.alerts)], [['ControlPlaneOverload||warm-1', 1]]);
    for (const [wave, health] of run.gates) assert.equal(health?.verdict, 'proceed', wave);
  });
});

describe('DNS failure behind the cache, every cause', () => {
  it('is detected within 2 scrape intervals and names its cause; only the control plane of a wave cluster is the rollout\u2019s', () => {
    const scenario = loadScenario(scenarioPath('dns-failure-causes'));
    const truth = groundTruth(scenario);
    const run = replayScenario(scenario, 'stepwise');
    const found = detections(run);
    const expected = { huge: ['control_plane', 'r-dns'], 'up-1': ['upstream', null], 'cd-1': ['coredns', null] } as const;
    for (const [cluster, [cause, rolloutId]] of Object.entries(expected)) {
      const t = truth.clusters.find((c) => c.cluster === cluster)!;
      const hit = found.find((d) => d.finding.alertName === 'DnsFailureMaskedByCache' && d.finding.clusters[0] === cluster);
      assert.ok(hit && t.dnsFailureOnsetMs !== null, `${cluster}: no DnsFailureMaskedByCache`);
      assert.ok(hit.atMs - t.dnsFailureOnsetMs <= 2 * truth.intervalMs, `${cluster}: ${(hit.atMs - t.dnsFailureOnsetMs) / truth.intervalMs} intervals`);
      assert.equal(hit.finding.cause, cause, cluster);
      assert.equal(hit.finding.rolloutId, rolloutId, cluster);
    }
    assertAttribution(truth, found, scenario.name);
  });
});

describe('rollback deadline', () => {
  it('projects the collapse of an attributed overload, early rather than late', () => {
    const scenario = loadScenario(scenarioPath('concurrent-two-rollouts'));
    const truth = groundTruth(scenario);
    const run = replayScenario(scenario, 'stepwise');
    const big = truth.clusters.find((c) => c.cluster === 'big-1')!;
    assert.ok(big.collapseMs !== null);
    const first = run.steps.flatMap((s) => s.findings).find((f) => f.alertName === 'RolloutControlPlaneOverload' && f.clusters[0] === 'big-1')!;
    const deadline = first.figures.rollbackDeadlineMs!;
    // the simulator collapses after 5 min of overload; the projection may be early, at most one interval late
    assert.ok(deadline <= big.collapseMs + truth.intervalMs, `deadline ${(deadline - big.collapseMs) / 1000} s after the collapse`);
    assert.ok(deadline >= big.collapseMs - 120_000, `deadline ${(big.collapseMs - deadline) / 1000} s before the collapse`);
    assert.match(first.description, /roll back within ~\d+ min — after that the API server may not accept the rollback/);
    const gate = run.steps.flatMap((s) => s.rollouts).find((h) => h.reasons.some((r) => r.rollbackDeadlineMs !== undefined))!;
    assert.equal(gate.rolloutId, 'agent-a');
    assert.equal(gate.verdict, 'rollback');
  });
});
