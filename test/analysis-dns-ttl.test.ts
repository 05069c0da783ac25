import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groundTruth, loadScenario, scenarioPath, simulate, tickSeries, type Scenario } from '../scenarios/index.js';
import { analysisConfig, type AnalysisConfig } from '../src/analysis/analysis-config.js';
import { Analyzer } from '../src/analysis/analyzer.js';
import type { Finding } from '../src/analysis/analysis.types.js';
import { loadConfig } from '../src/config/load-config.js';
import { deriveRollouts } from '../src/rollouts/rollout-state.js';
import type { DeployEvent } from '../src/rollouts/rollout.types.js';
import { SignalStore } from '../src/signals/signal-store.js';
import { signalStoreOptions } from '../src/signals/signal-store.options.js';
import { deployEventOf } from './support/simulated-deploy-event.js';

// Calibration of DnsFailureMaskedByCache's time to impact: the simulator's incidents go
// through the real signal store and analysis step by step; the first masked finding of each
// cluster is compared with the time the simulator's visible SERVFAIL really crossed 1 %.

interface Calibration {
  readonly cluster: string;
  readonly intervalMs: number;
  readonly projectedS: number;
  readonly truthS: number;
}

function firstMaskedFindings(scenario: Scenario, config: AnalysisConfig): Map<string, { atMs: number; finding: Finding }> {
  const store = new SignalStore(signalStoreOptions(loadConfig({})));
  const analyzer = new Analyzer();
  const events: DeployEvent[] = [];
  const first = new Map<string, { atMs: number; finding: Finding }>();
  for (const item of simulate(scenario)) {
    if (item.kind === 'gate') continue;
    if (item.kind === 'deploy') {
      events.push(deployEventOf(item.event, item.atMs, events.length));
      continue;
    }
    store.append(tickSeries(item));
    const result = analyzer.evaluate({ reader: store, rollouts: deriveRollouts(events), config });
    for (const finding of result.findings) {
      const cluster = finding.clusters[0]!;
      if (finding.alertName === 'DnsFailureMaskedByCache' && !first.has(cluster)) first.set(cluster, { atMs: item.atMs, finding });
    }
  }
  return first;
}

/** an operator configures each cluster's cache lifetime (CoreDNS cache/serve_stale) */
function configFor(scenario: Scenario): AnalysisConfig {
  return analysisConfig({ clusters: Object.fromEntries(scenario.clusters.map((c) => [c.name, { cacheTtlSeconds: c.cacheLifetimeSeconds }])) });
}

function calibrate(scenario: Scenario, config = configFor(scenario)): Calibration[] {
  const truth = groundTruth(scenario);
  const first = firstMaskedFindings(scenario, config);
  const out: Calibration[] = [];
  for (const c of truth.clusters) {
    if (c.servfailVisibleMs === null || c.dnsFailureOnsetMs === null) continue;
    const hit = first.get(c.cluster);
    assert.ok(hit, `${scenario.name}: no DnsFailureMaskedByCache on ${c.cluster}`);
    assert.ok(hit.atMs - c.dnsFailureOnsetMs <= 2 * truth.intervalMs, `${scenario.name} ${c.cluster}: detection regressed`);
    assert.ok(hit.finding.figures.visibleErrorRatio! < 0.01);
    const projected = hit.finding.timeToImpactSeconds;
    assert.ok(projected !== null, `${scenario.name} ${c.cluster}: no time to impact`);
    out.push({ cluster: `${scenario.name}/${c.cluster}`, intervalMs: truth.intervalMs, projectedS: projected, truthS: (c.servfailVisibleMs - hit.atMs) / 1000 });
  }
  return out;
}

function assertCalibrated(rows: readonly Calibration[]): void {
  assert.ok(rows.length > 0);
  for (const r of rows) console.log(`${r.cluster}: projected ${r.projectedS.toFixed(0)} s, truth ${r.truthS.toFixed(0)} s`);
  for (const r of rows) {
    const slack = (2 * r.intervalMs) / 1000;
    const line = `${r.cluster}: projected ${r.projectedS.toFixed(0)} s, truth ${r.truthS.toFixed(0)} s`;
    assert.ok(r.projectedS <= r.truthS + slack, `over-estimate: ${line}`);
    const withinFactor = r.projectedS >= r.truthS / 2;
    assert.ok(withinFactor || r.truthS - r.projectedS <= slack, `under-estimate beyond ×2: ${line}`);
  }
}

const load = (name: string): Scenario => loadScenario(scenarioPath(name));

describe('DNS time to impact against the simulator ground truth', () => {
  it('is calibrated on the 2024-12-11 incident at 15 s', () => {
    assertCalibrated(calibrate(load('incident-2024-12-11')));
  });

  it('is calibrated on the 30 s incident', () => {
    assertCalibrated(calibrate(load('incident-30s')));
  });

  for (const [intervalMs, seed] of [
    [15_000, 5],
    [30_000, 6],
  ] as const) {
    it(`is calibrated on a small collapse, ${intervalMs / 1000} s scrapes, seed ${seed}`, () => {
      assertCalibrated(calibrate({ ...load('collapse-small'), intervalMs, seed }));
    });
  }
});
