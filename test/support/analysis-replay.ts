import { simulate, tickSeries, type Scenario, type ScrapeTick } from '../../scenarios/index.js';
import { stepLifecycle, type AlertRecord, type LifecycleOptions } from '../../src/alerts/alert-lifecycle.js';
import { conditionFromFinding } from '../../src/alerts/alert-record.mapper.js';
import { analysisConfig, type AnalysisConfig } from '../../src/analysis/analysis-config.js';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisResult, RolloutHealth } from '../../src/analysis/analysis.types.js';
import { loadConfig } from '../../src/config/load-config.js';
import { deriveRollouts } from '../../src/rollouts/rollout-state.js';
import type { DeployEvent } from '../../src/rollouts/rollout.types.js';
import { SignalStore } from '../../src/signals/signal-store.js';
import { signalStoreOptions } from '../../src/signals/signal-store.options.js';
import { deployEventOf } from './simulated-deploy-event.js';

// An in-process replay through the real SignalStore, the analysis and the alert lifecycle,
// at either ingest speed: 'stepwise' appends a scrape and evaluates it at once (live), 'ahead'
// appends the whole scenario first and then evaluates every step as of its time (a replay
// or catch-up where ingestion runs far ahead of evaluation). Both must give the same answers.

export type IngestSpeed = 'stepwise' | 'ahead';

export interface ReplayOutcome {
  /** per evaluated scrape: the analysis result */
  readonly steps: AnalysisResult[];
  /** gate answers keyed `rolloutId/wave`, asked where the deploy tool asks */
  readonly gates: Map<string, RolloutHealth | undefined>;
  /** every alert record the lifecycle produced (resolved ones included), in creation order */
  readonly alerts: AlertRecord[];
}

export const LIFECYCLE: LifecycleOptions = { pendingSteps: 0, resolveAfterSteps: 4, minFiringMs: 300_000 };

export function replayScenario(scenario: Scenario, speed: IngestSpeed, lifecycle: LifecycleOptions = LIFECYCLE, config: AnalysisConfig = analysisConfig()): ReplayOutcome {
  const store = new SignalStore(signalStoreOptions(loadConfig({})));
  const items = [...simulate(scenario)];
  if (speed === 'ahead') for (const item of items) if (item.kind === 'scrape') store.append(tickSeries(item));
  const analyzer = new Analyzer();
  const events: DeployEvent[] = [];
  const steps: AnalysisResult[] = [];
  const gates = new Map<string, RolloutHealth | undefined>();
  const byFingerprint = new Map<string, AlertRecord>();
  let ids = 0;
  let lastTick: ScrapeTick | undefined;
  const evaluate = (nowMs: number): AnalysisResult => analyzer.evaluate({ reader: store, rollouts: deriveRollouts(events), config, nowMs });
  for (const item of items) {
    if (item.kind === 'deploy') {
      events.push(deployEventOf(item.event, item.atMs, events.length));
      continue;
    }
    if (item.kind === 'gate') {
      const result = lastTick ? evaluate(lastTick.atMs) : undefined;
      gates.set(`${item.rolloutId}/${item.wave}`, result?.rollouts.find((r) => r.rolloutId === item.rolloutId));
      continue;
    }
    if (speed === 'stepwise') store.append(tickSeries(item));
    lastTick = item;
    const result = evaluate(item.atMs);
    steps.push(result);
    const open = [...byFingerprint.values()].filter((r) => r.state !== 'resolved');
    const conditions = result.findings.map((f) => conditionFromFinding(f, {}));
    const out = stepLifecycle(open, conditions, result.evaluatedAt, lifecycle, () => `alert-${++ids}`);
    for (const r of out.changed) byFingerprint.set(`${r.fingerprint}#${r.id}`, r);
  }
  const alerts = [...byFingerprint.values()].sort((a, b) => Number(a.id.slice(6)) - Number(b.id.slice(6)));
  return { steps, gates, alerts };
}

/** alert episodes (distinct alert ids) per alert name and cluster/wave scope */
export function episodes(alerts: readonly AlertRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of alerts) {
    if (a.state === 'pending') continue;
    const key = `${a.name}|${a.rolloutId ?? ''}|${a.name === 'NextWaveCapacityRisk' ? (a.wave ?? '') : a.clusters.join(',')}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}
