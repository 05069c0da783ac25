import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROMETHEUS_BINARY, prometheusAvailable, startPrometheus, type RunningPrometheus } from '../bench/prometheus-process.js';
import { rolloutItems } from '../scenarios/deploy-events.js';
import { loadScenario, scenarioPath } from '../scenarios/index.js';
import { fetchAlerts, replay } from '../scenarios/replay-runner.js';
import { everyExpression, panelExpressions, withAllSelected } from './support/dashboard-expressions.js';
import { startApp, type RunningApp } from './support/start-app.js';

// A real Prometheus 2.42 scrapes a running wavewatch, then runs every query of the dashboards
// the way Grafana would: each must evaluate, the self-monitoring panels must show data from
// the start, and after a replay of collapse-small (a wave harmless, the next overloading a
// 5000-node cluster whose DNS then fails behind the cache) every query must return series.

const available = prometheusAvailable();
if (!available) console.log(`# skipped: ${PROMETHEUS_BINARY} not found (CI installs the prometheus package)`);

interface QueryResponse {
  status: string;
  error?: string;
  data?: { result: unknown[] };
}

async function query(prometheus: RunningPrometheus, expr: string): Promise<QueryResponse> {
  const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as QueryResponse;
}

// As Grafana's time panels ask: a range, so a series present at any time of it counts.
async function queryRange(prometheus: RunningPrometheus, expr: string, fromS: number, toS: number): Promise<QueryResponse> {
  const params = new URLSearchParams({ query: expr, start: String(fromS), end: String(toS), step: '0.5' });
  const res = await fetch(`${prometheus.url}/api/v1/query_range?${params.toString()}`);
  return (await res.json()) as QueryResponse;
}

describe('dashboard queries on Prometheus 2.42', { skip: available ? false : 'prometheus binary not found' }, () => {
  let app: RunningApp;
  let prometheus: RunningPrometheus;

  before(async () => {
    app = await startApp();
    prometheus = await startPrometheus(
      [
        'global:',
        // fine-grained: the replay runs 30 min of event time in seconds, and a wave's
        // controls exist only between the rollout's start and that wave's
        '  scrape_interval: 250ms',
        '  scrape_timeout: 200ms',
        'scrape_configs:',
        '  - job_name: wavewatch',
        `    static_configs: [{ targets: ['${new URL(app.url).host}'] }]`,
        '',
      ].join('\n'),
    );
    // rate() needs two scrapes inside its window; wait for three to be safe.
    for (let waited = 0; ; waited++) {
      const scrapes = await query(prometheus, 'count_over_time(up{job="wavewatch"}[1m])');
      const n = Number((scrapes.data?.result[0] as { value?: [number, string] } | undefined)?.value?.[1] ?? 0);
      if (n >= 3) break;
      if (waited > 120) throw new Error(`only ${n} scrapes of wavewatch after 30 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  after(async () => {
    await prometheus?.stop();
    await app?.close();
  });

  it('every panel and annotation query evaluates', async () => {
    const failed: string[] = [];
    for (const { title, expr } of everyExpression()) {
      const answer = await query(prometheus, withAllSelected(expr));
      if (answer.status !== 'success') failed.push(`${title}: ${answer.error ?? answer.status}`);
    }
    assert.deepEqual(failed, []);
  });

  it('the self-monitoring panels have series before any data arrives', async () => {
    const selfMonitoring = panelExpressions().filter(({ expr }) => /wavewatch_(ingest|notif|signal)/.test(expr));
    assert.ok(selfMonitoring.length >= 6, `only ${selfMonitoring.length} self-monitoring queries`);
    const empty: string[] = [];
    for (const { title, expr } of selfMonitoring) {
      const answer = await query(prometheus, expr);
      if ((answer.data?.result.length ?? 0) === 0) empty.push(`${title}: ${expr}`);
    }
    assert.deepEqual(empty, [], 'queries without a series (metric not initialised at zero?)');
  });

  it('after a replay, every panel and annotation query of both dashboards returns series', async () => {
    const fromS = Date.now() / 1000 - 5;
    const scenario = loadScenario(scenarioPath('collapse-small'));
    // Some series exist only for a moment of wall time in a fast replay: a wave's controls
    // (between the rollout's start and that wave's), a wave in progress (between its start and
    // completion). Pause inside each such window, evaluated, until Prometheus has scraped it.
    const deploys = rolloutItems(scenario).flatMap((i) => (i.kind === 'deploy' ? [i] : []));
    const at = (type: string): number[] => deploys.filter((i) => i.event.type === type).map((i) => i.atMs);
    const started = at('wave_started');
    const completed = at('wave_completed');
    const pauses = [Math.max(...started) - 60_000, ...started.map((s, i) => (s + completed[i]!) / 2)].sort((a, b) => a - b);
    let afterMs: number | undefined;
    for (const untilMs of pauses) {
      await replay(scenario, app.url, { ...(afterMs !== undefined && { afterMs }), untilMs });
      await fetchAlerts(app.url); // catch-up: the paused step is evaluated
      await new Promise((r) => setTimeout(r, 1000));
      afterMs = untilMs;
    }
    await replay(scenario, app.url, { afterMs });
    const alerts = await fetchAlerts(app.url);
    assert.ok(alerts.some((a) => a.name === 'DnsFailureMaskedByCache'), 'the replay raised the DNS alert the annotations show');
    // two more scrapes after the last evaluated step
    await new Promise((r) => setTimeout(r, 1000));
    const toS = Date.now() / 1000;
    const empty: string[] = [];
    for (const { title, expr } of everyExpression()) {
      const answer = await queryRange(prometheus, withAllSelected(expr), fromS, toS);
      assert.equal(answer.status, 'success', `${title}: ${answer.error ?? ''}`);
      if ((answer.data?.result.length ?? 0) === 0) empty.push(`${title}: ${expr}`);
    }
    assert.deepEqual(empty, [], 'queries without a series after the replay');
  });
});
