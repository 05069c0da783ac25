import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groundTruth, loadScenario, scenarioPath, simulate, tickSeries, type GroundTruth, type Scenario } from '../scenarios/index.js';
import { analysisConfig } from '../src/analysis/analysis-config.js';
import { Analyzer } from '../src/analysis/analyzer.js';
import type { Finding, RolloutHealth } from '../src/analysis/analysis.types.js';
import { loadConfig } from '../src/config/load-config.js';
import { deriveRollouts } from '../src/rollouts/rollout-state.js';
import type { DeployEvent } from '../src/rollouts/rollout.types.js';
import { SignalStore } from '../src/signals/signal-store.js';
import { signalStoreOptions } from '../src/signals/signal-store.options.js';
import { deployEventOf } from './support/simulated-deploy-event.js';

// DESIGN §5 targets on simulated replays: the simulator's series go through the real signal
// store in-process, the analysis runs after every scrape, the gate is asked before every
// wave, and everything is judged against the simulator's ground truth in scrape intervals.

interface Detection {
  readonly atMs: number;
  readonly finding: Finding;
}

interface Replay {
  readonly truth: GroundTruth;
  /** first evaluation at which each finding key was present */
  readonly detections: Detection[];
  readonly gates: Map<string, RolloutHealth | undefined>;
}

function replay(scenario: Scenario): Replay {
  const truth = groundTruth(scenario);
  const store = new SignalStore(signalStoreOptions(loadConfig({})));
  const config = analysisConfig();
  const analyzer = new Analyzer();
  const events: DeployEvent[] = [];
  const detections: Detection[] = [];
  const seen = new Set<string>();
  const gates = new Map<string, RolloutHealth | undefined>();
  for (const item of simulate(scenario)) {
    if (item.kind === 'deploy') {
      events.push(deployEventOf(item.event, item.atMs, events.length));
      continue;
    }
    if (item.kind === 'gate') {
      const result = analyzer.evaluate({ reader: store, rollouts: deriveRollouts(events), config });
      gates.set(item.wave, result.rollouts.find((r) => r.rolloutId === item.rolloutId));
      continue;
    }
    store.append(tickSeries(item));
    const result = analyzer.evaluate({ reader: store, rollouts: deriveRollouts(events), config });
    for (const finding of result.findings) {
      if (seen.has(finding.key)) continue;
      seen.add(finding.key);
      detections.push({ atMs: item.atMs, finding });
    }
  }
  return { truth, detections, gates };
}

const minutes = (ms: number): string => `${(ms / 60_000).toFixed(2)} min`;

function assertTargets(run: Replay, scenario: Scenario): void {
  const { truth, detections } = run;
  const interval = truth.intervalMs;
  for (const expected of truth.required) {
    const hit = detections.find(
      (d) => d.finding.alertName === expected.name && d.finding.clusters.includes(expected.cluster) && d.finding.rolloutId === expected.rolloutId,
    );
    assert.ok(hit, `${scenario.name}: ${expected.name} for ${expected.cluster} never raised`);
    const lag = hit.atMs - expected.atMs;
    assert.ok(lag <= 2 * interval, `${scenario.name}: ${expected.name} ${expected.cluster} raised ${lag / interval} intervals after onset`);
    if (expected.beforeMs !== null) assert.ok(hit.atMs < expected.beforeMs, `${scenario.name}: ${expected.name} ${expected.cluster} only after visible impact`);
    if (expected.name === 'DnsFailureMaskedByCache') assert.ok(hit.finding.figures.visibleErrorRatio! < 0.01);
  }
  const acceptable = [...truth.required, ...truth.allowed];
  for (const d of detections) {
    assert.ok(d.finding.onsetMs <= d.atMs, `${scenario.name}: ${d.finding.key} starts after it was raised`);
    const ok = acceptable.some((a) => a.name === d.finding.alertName && d.finding.clusters.includes(a.cluster));
    assert.ok(ok, `${scenario.name}: unexpected ${d.finding.key} at ${minutes(d.atMs - scenario.startMs)}`);
  }
  for (const wave of truth.waves) {
    const health = run.gates.get(wave.wave);
    assert.ok(health, `${scenario.name}: no gate answer before ${wave.wave}`);
    const verdict = health.verdict === 'proceed' ? 'proceed' : 'hold';
    assert.equal(verdict, wave.expectedGate, `${scenario.name}: gate before ${wave.wave}: ${JSON.stringify(health.reasons.map((r) => r.message))}`);
  }
}

function assertBenign(run: Replay, scenario: Scenario): void {
  const rolloutAlerts = run.detections.filter((d) => d.finding.alertName === 'RolloutControlPlaneOverload' || d.finding.alertName === 'NextWaveCapacityRisk');
  assert.deepEqual(rolloutAlerts.map((d) => d.finding.key), [], scenario.name);
  for (const [wave, health] of run.gates) assert.equal(health?.verdict, 'proceed', `${scenario.name}: gate before ${wave}`);
}

const load = (name: string): Scenario => loadScenario(scenarioPath(name));

/** the scenario with a different scrape interval (and seed): same fleet, same rollout */
const variant = (s: Scenario, intervalMs: number, seed = s.seed): Scenario => ({ ...s, intervalMs, seed });

/** the scenario on a subset of its fleet; waves keep the clusters that remain */
function subset(s: Scenario, keep: (cluster: string) => boolean): Scenario {
  const rollout = s.rollout && {
    ...s.rollout,
    waves: s.rollout.waves.map((w) => ({ ...w, clusters: w.clusters.filter(keep) })).filter((w) => w.clusters.length > 0),
  };
  return { ...s, clusters: s.clusters.filter((c) => keep(c.name)), rollout, rollouts: rollout ? [rollout] : [], incidents: s.incidents.filter((i) => i.clusters.some(keep)) };
}

describe('analysis on simulated incidents', () => {
  it('meets the targets on the 2024-12-11 incident at 15 s', () => {
    const scenario = load('incident-2024-12-11');
    const run = replay(scenario);
    assert.ok(run.truth.required.length >= 4);
    assertTargets(run, scenario);
    const hold = run.gates.get('wave-4')!;
    assert.ok(hold.nextWave?.fit && Math.abs(hold.nextWave.fit.exponent - 2) < 0.3, 'nodes² recovered from the earlier waves');
  });

  it('meets the targets on the 30 s incident', () => {
    const scenario = load('incident-30s');
    assertTargets(replay(scenario), scenario);
  });

  for (const [intervalMs, seed] of [
    [15_000, 5],
    [30_000, 6],
    [15_000, 7],
    [30_000, 8],
  ] as const) {
    it(`meets the targets on a small collapse, ${intervalMs / 1000} s scrapes, seed ${seed}`, () => {
      const scenario = variant(load('collapse-small'), intervalMs, seed);
      const run = replay(scenario);
      assert.ok(run.truth.required.some((r) => r.name === 'RolloutControlPlaneOverload'));
      assertTargets(run, scenario);
    });
  }

  it('holds a giant wave extrapolated from small clusters only, at 30 s scrapes', () => {
    const base = load('incident-2024-12-11');
    const scenario = variant(subset(base, (c) => c.startsWith('small') || c.startsWith('giant')), 30_000, base.seed + 1);
    const run = replay(scenario);
    assert.equal(run.truth.waves.at(-1)!.expectedGate, 'hold');
    assertTargets(run, scenario);
  });
});

describe('analysis on simulated benign scenarios', () => {
  for (const name of ['benign-request-pattern', 'benign-traffic-ramp', 'benign-spike-outside', 'benign-upstream-dns-outage', 'benign-restarts-and-gaps']) {
    it(`raises no rollout alert and proceeds on ${name}`, () => {
      const scenario = load(name);
      const run = replay(scenario);
      assert.ok(run.gates.size > 0);
      assertTargets(run, scenario);
      assertBenign(run, scenario);
    });
  }

  it('stays quiet on the harmless request pattern at the other scrape interval and seed', () => {
    const base = load('benign-request-pattern');
    const scenario = variant(base, 15_000, base.seed + 1);
    const run = replay(scenario);
    assertTargets(run, scenario);
    assertBenign(run, scenario);
  });
});
