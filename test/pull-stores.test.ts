import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PROMETHEUS_BINARY, prometheusAvailable, startPrometheus, type RunningPrometheus } from '../bench/prometheus-process.js';
import { startVictoriaMetrics, VICTORIA_METRICS_BINARY, victoriaMetricsAvailable, type RunningVictoriaMetrics } from '../bench/victoria-metrics-process.js';
import { loadScenario, rolloutItems, scenarioPath, type Scenario } from '../scenarios/index.js';
import { StoreLoader } from '../scenarios/store-loader.js';
import { analysisConfigFrom } from '../src/analysis/analysis-config.js';
import { configSchema, type AppConfig } from '../src/config/config.schema.js';
import { SignalStore } from '../src/signals/signal-store.js';
import { signalStoreOptions } from '../src/signals/signal-store.options.js';
import { runBacktest, type BacktestFeed, type BacktestResult } from '../src/sources/backtest/backtest-runner.js';
import { PullFeed } from '../src/sources/backtest/pull-feed.js';
import { PullSource } from '../src/sources/prometheus/pull-source.js';
import { PushFeed, scenarioEvents, scrapes } from './support/push-feed.js';

// The same simulated incident evaluated twice: pushed into wavewatch's own store (remote_write
// reduction in-process), and remote-written into a real Prometheus 2.42 / VictoriaMetrics 1.79
// and pulled back with range queries. Alerts and gate answers must agree within one step.

const SCENARIO = 'collapse-small';
const run = promisify(execFile);
const vmOk = victoriaMetricsAvailable();
const promOk = prometheusAvailable();
if (!vmOk) console.log(`# skipped VictoriaMetrics: ${VICTORIA_METRICS_BINARY} not found (CI installs victoria-metrics)`);
if (!promOk) console.log(`# skipped Prometheus: ${PROMETHEUS_BINARY} not found (CI installs prometheus)`);

function appConfig(url?: string): AppConfig {
  return configSchema.parse(url ? { sources: { prometheus: { url } } } : {});
}

async function evaluate(scenario: Scenario, config: AppConfig, feedOf: (store: SignalStore) => BacktestFeed): Promise<BacktestResult> {
  const store = new SignalStore(signalStoreOptions(config));
  return runBacktest({
    reader: store,
    feed: feedOf(store),
    events: scenarioEvents(scenario),
    config: analysisConfigFrom(config),
    lifecycle: { pendingSteps: config.analysis.pendingSteps, resolveAfterSteps: config.analysis.resolveAfterSteps },
    fromMs: scenario.startMs,
    toMs: scenario.endMs,
  });
}

async function pull(scenario: Scenario, url: string): Promise<BacktestResult> {
  const config = appConfig(url);
  const source = new PullSource(config, config.sources.prometheus!);
  return evaluate(scenario, config, (store) => new PullFeed(source.fetcher, store, store.stepMs, scenario.startMs, scenario.endMs, 200_000));
}

async function load(scenario: Scenario, writeUrl: string): Promise<number> {
  const loader = new StoreLoader(writeUrl);
  for (const tick of scrapes(scenario)) await loader.add(tick);
  await loader.flush();
  return loader.samples;
}

const key = (e: BacktestResult['timeline'][number]): string => `${e.transition} ${e.alertName} ${e.rolloutId ?? '-'} ${e.clusters.join(',')}`;

/** every alert transition of one run has its twin in the other within one step; gates equal */
export function assertSameWithinOneStep(push: BacktestResult, pulled: BacktestResult, stepMs: number, store: string): void {
  const describe = (r: BacktestResult): string => r.timeline.map((e) => `${new Date(e.atMs).toISOString()} ${key(e)}`).join('\n');
  for (const [a, b, side] of [
    [push, pulled, 'pull'],
    [pulled, push, 'push'],
  ] as const) {
    for (const e of a.timeline) {
      const twin = b.timeline.find((x) => key(x) === key(e) && Math.abs(x.atMs - e.atMs) <= stepMs);
      assert.ok(twin, `${store}: ${key(e)} at ${new Date(e.atMs).toISOString()} has no twin in ${side} within one step\npush:\n${describe(push)}\npull:\n${describe(pulled)}`);
    }
  }
  const deltas = push.timeline.map((e) => (pulled.timeline.find((x) => key(x) === key(e))?.atMs ?? Number.NaN) - e.atMs);
  console.log(`# ${store}: ${push.timeline.length} alert transitions in push, ${pulled.timeline.length} in pull, pull − push: ${deltas.map((d) => `${d / 1000} s`).join(', ')}; gates ${pulled.gates.map((g) => `${g.wave} ${g.verdict}`).join(', ')}`);
  for (const e of push.timeline) console.log(`#   push ${new Date(e.atMs).toISOString()} ${key(e)}`);
  assert.deepEqual(
    pulled.gates.map((g) => `${g.wave}: ${g.verdict}`),
    push.gates.map((g) => `${g.wave}: ${g.verdict}`),
    `${store}: gate answers differ`,
  );
}

describe(`pull mode against real stores (${SCENARIO})`, () => {
  const scenario = loadScenario(scenarioPath(SCENARIO));
  const stepMs = appConfig().signals.stepSeconds * 1000;
  let push: BacktestResult;

  before(async () => {
    push = await evaluate(scenario, appConfig(), (store) => new PushFeed(scenario, store));
  });

  it('push mode raises the overload alert and holds (the reference is not empty)', () => {
    assert.ok(push.timeline.some((e) => e.alertName === 'RolloutControlPlaneOverload' && e.transition === 'firing'), JSON.stringify(push.timeline));
    assert.equal(push.gates.length, scenario.rollout!.waves.length);
  });

  describe('VictoriaMetrics 1.79', { skip: vmOk ? false : 'victoria-metrics binary not found' }, () => {
    let vm: RunningVictoriaMetrics;
    before(async () => {
      vm = await startVictoriaMetrics();
      assert.ok((await load(scenario, `${vm.url}/api/v1/write`)) > 0);
      await vm.flush();
    });
    after(async () => vm?.stop());

    it('gives the same alerts and gate answers as push mode, within one step', async () => {
      assertSameWithinOneStep(push, await pull(scenario, vm.url), stepMs, 'VictoriaMetrics');
    });

    it('npm run backtest prints the same timeline and gate answers from the store', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wavewatch-backtest-'));
      const events = join(dir, 'deploys.jsonl');
      writeFileSync(events, rolloutItems(scenario).flatMap((i) => (i.kind === 'deploy' ? [JSON.stringify(i.event)] : [])).join('\n'));
      const cli = fileURLToPath(new URL('../src/sources/backtest/backtest.cli.js', import.meta.url));
      const args = [cli, '--source', vm.url, '--from', new Date(scenario.startMs).toISOString(), '--to', new Date(scenario.endMs).toISOString(), '--events', events, '--lookback', '0'];
      const { stdout } = await run(process.execPath, args);
      console.log(stdout.replace(/^/gm, '# '));
      for (const e of push.timeline.filter((t) => t.transition === 'firing')) assert.match(stdout, new RegExp(`firing +${e.alertName} .*clusters=${e.clusters.join(',')}`), stdout);
      for (const g of push.gates) assert.match(stdout, new RegExp(`${g.rolloutId} ${g.wave}: ${g.verdict}`), stdout);
    });
  });

  describe('Prometheus 2.42', { skip: promOk ? false : 'prometheus binary not found' }, () => {
    let prom: RunningPrometheus;
    before(async () => {
      // An empty TSDB takes old samples over remote_write as long as each series stays in order.
      prom = await startPrometheus('global: {}\n', ['--web.enable-remote-write-receiver', '--storage.tsdb.retention.time=100y']);
      assert.ok((await load(scenario, `${prom.url}/api/v1/write`)) > 0);
    });
    after(async () => prom?.stop());

    it('gives the same alerts and gate answers as push mode, within one step', async () => {
      assertSameWithinOneStep(push, await pull(scenario, prom.url), stepMs, 'Prometheus');
    });
  });
});
