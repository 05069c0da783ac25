import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { analysisConfig } from '../src/analysis/analysis-config.js';
import { Analyzer } from '../src/analysis/analyzer.js';
import { rolloutFixture } from '../src/analysis/testing/rollout-fixtures.js';
import { overlay, syntheticFleet, type SyntheticCluster } from '../src/analysis/testing/synthetic-fleet.js';
import { SIGNALS } from '../src/signals/signal.types.js';

// Milliseconds per evaluation of the pure analysis over a synthetic fleet with every signal:
// a rollout whose first wave (5 % of clusters) runs a nodes²-scaled load, a planned second
// wave, and DNS failing behind the cache in a few clusters. Steps run as live ingestion would.

export interface AnalysisBenchRow {
  clusters: number;
  evaluations: number;
  firstMs: number;
  meanMs: number;
  p95Ms: number;
  /** process CPU time per evaluation: less sensitive than wall time to a busy machine */
  cpuMeanMs: number;
  findings: number;
}

const STEP_MS = 15_000;
const T0 = Date.UTC(2024, 11, 11, 22, 0, 0);

function fleet(size: number) {
  const clusters: SyntheticCluster[] = Array.from({ length: size }, (_, i) => ({
    name: `cluster-${String(i).padStart(4, '0')}`,
    nodes: 50 + ((i * 7919) % 1500),
  }));
  const reader = syntheticFleet({ clusters, stepMs: STEP_MS, fromMs: T0 - 20 * 60_000, toMs: T0 + 20 * 60_000, seed: size });
  const wave1 = clusters.filter((_, i) => i % 20 === 0);
  const wave2 = clusters.filter((_, i) => i % 20 === 1 || i % 20 === 2 || i % 20 === 3 || i % 20 === 4);
  for (const c of wave1) overlay(reader, c.name, SIGNALS.apiBusySeats, T0, (v) => v + 0.00002 * c.nodes ** 2);
  for (const c of clusters.filter((_, i) => i % 97 === 5)) overlay(reader, c.name, SIGNALS.dnsMissFailureRatio, T0 + 60_000, () => 0.05);
  const rollout = rolloutFixture('bench-rollout', T0 - 60_000, [
    { wave: 'wave-1', clusters: wave1.map((c) => c.name), startedAtMs: T0 },
    { wave: 'wave-2', clusters: wave2.map((c) => c.name), startedAtMs: null },
  ]);
  return { reader, rollout };
}

export function benchAnalysis(size: number, evaluations = 40): AnalysisBenchRow {
  const { reader, rollout } = fleet(size);
  const config = analysisConfig();
  const analyzer = new Analyzer();
  const times: number[] = [];
  let cpuMicros = 0;
  let findings = 0;
  for (let k = 0; k < evaluations; k++) {
    const now = T0 + 120_000 + k * STEP_MS;
    reader.cutoffMs = now;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = analyzer.evaluate({ reader, rollouts: [rollout], config, nowMs: now });
    times.push(performance.now() - started);
    if (k > 0) {
      const used = process.cpuUsage(cpu);
      cpuMicros += used.user + used.system;
    }
    findings = result.findings.length;
  }
  const steady = times.slice(1).sort((a, b) => a - b);
  const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
  return {
    clusters: size,
    evaluations,
    firstMs: times[0]!,
    meanMs: mean,
    p95Ms: steady[Math.min(steady.length - 1, Math.floor(0.95 * steady.length))]!,
    cpuMeanMs: cpuMicros / 1000 / (evaluations - 1),
    findings,
  };
}

export function runAnalysisBench(sizes: readonly number[] = [100, 1000]): AnalysisBenchRow[] {
  const rows = sizes.map((size) => benchAnalysis(size));
  for (const r of rows) {
    console.log(
      `analysis: ${r.clusters} clusters, ${r.evaluations} evaluations: first ${r.firstMs.toFixed(1)} ms, ` +
        `then mean ${r.meanMs.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms, CPU ${r.cpuMeanMs.toFixed(1)} ms per evaluation (${r.findings} findings)`,
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runAnalysisBench();
