import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { renderDashboards, repoRoot } from '../dashboards/dashboard-files.js';
import { ROLLOUT_HEALTH_UID } from '../dashboards/rollout-health.dashboard.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { scenarioPath } from '../scenarios/scenario-files.js';
import { builtDashboard, builtDashboards, builtFleetDashboard, everyExpression, panelExpressions, withAllSelected } from './support/dashboard-expressions.js';
import { startApp, type RunningApp } from './support/start-app.js';

const root = repoRoot();
const built = builtDashboard;
const queryPanels = builtDashboards.flatMap((d) => d.panels.filter((p) => p.type !== 'row' && p.type !== 'text'));
const panelExprs = panelExpressions().map((e) => e.expr);
const exprs = everyExpression().map((e) => e.expr);

// Metric names a PromQL expression reads; histogram series map to the family Prometheus' HELP line names.
function metricFamilies(expr: string): string[] {
  return [...expr.matchAll(/\bwavewatch_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

function readYaml(path: string): unknown {
  return parse(readFileSync(join(root, path), 'utf8'));
}

describe('rollout-health dashboard', () => {
  it('the committed generated JSON matches the code (run npm run dashboards after editing dashboards/)', () => {
    for (const { file, json } of renderDashboards()) {
      const path = join(root, 'dashboards', 'generated', file);
      assert.ok(existsSync(path), `${path} is missing`);
      assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), JSON.parse(json), `${file} is stale`);
    }
  });

  it('keeps its uid and the variables the Slack links use', () => {
    assert.equal(built.uid, 'wavewatch-rollout-health');
    assert.equal(ROLLOUT_HEALTH_UID, built.uid);
    const vars = new Map(built.templating.list.map((v) => [v.name, v]));
    assert.equal(vars.get('datasource')?.type, 'datasource');
    for (const name of ['rollout', 'cluster']) {
      const v = vars.get(name);
      assert.equal(v?.type, 'query', `variable ${name}`);
      assert.match(JSON.stringify(v.query), new RegExp(`label_values\\(wavewatch_[a-z_]+, ${name}\\)`));
      assert.equal(v.allValue, '.*');
    }
  });

  it('every panel queries the selected Prometheus', () => {
    assert.ok(queryPanels.length >= 20, `only ${queryPanels.length} panels`);
    for (const p of queryPanels) {
      assert.ok((p.targets ?? []).length > 0, `${p.title} has no query`);
      for (const t of p.targets ?? []) {
        assert.ok(t.expr && t.expr.length > 0, `${p.title} has an empty expression`);
        assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
      }
    }
    const byRollout = panelExprs.filter((e) => e.includes('rollout=~"$rollout"')).length;
    const byCluster = panelExprs.filter((e) => e.includes('cluster=~"$cluster"')).length;
    assert.ok(byRollout >= 2 && byCluster >= 4, `variables used by ${byRollout} rollout and ${byCluster} cluster queries`);
  });

  it('marks deploy events from the selected Prometheus', () => {
    const deploys = built.annotations.list.find((a) => a.name === 'Deploy events');
    assert.match(deploys?.expr ?? '', /wavewatch_deploy_events_total\{outcome="accepted"\}/);
    assert.equal(deploys?.datasource?.uid, '${datasource}');
  });

  it('shows the rollout-health gauges and the self-monitoring metrics', () => {
    const used = new Set(exprs.flatMap(metricFamilies));
    const required = [
      'wavewatch_rollout_verdict',
      'wavewatch_next_wave_predicted_utilization',
      'wavewatch_cluster_utilization',
      'wavewatch_dns_projected_error_ratio',
      'wavewatch_dns_time_to_impact_seconds',
      'wavewatch_alerts_firing',
      'wavewatch_ingest_samples_total',
      'wavewatch_ingest_rejections_total',
      'wavewatch_ingest_decode_seconds',
      'wavewatch_notifications_total',
      'wavewatch_notify_outbox_depth',
      'wavewatch_notify_queue_depth',
      'wavewatch_signal_watermark_timestamp_seconds',
      'wavewatch_cluster_busy_seats',
      'wavewatch_cluster_capacity_seats',
      'wavewatch_cluster_apf_rejected_per_second',
      'wavewatch_dns_visible_error_ratio',
      'wavewatch_dns_miss_failure_ratio',
      'wavewatch_cluster_risk',
      'wavewatch_dns_state',
      'wavewatch_rollout_wave_cluster_info',
      'wavewatch_rollout_wave_in_progress',
      'wavewatch_rollout_wave_started_timestamp_seconds',
      'wavewatch_alert_active',
    ];
    assert.deepEqual(required.filter((m) => !used.has(m)), []);
    const headroom = JSON.stringify(built).includes('"value":0.8');
    assert.ok(headroom, 'the 0.8 headroom threshold is drawn');
  });
});

describe('the rollout story on the dashboards', () => {
  const byTitle = (title: RegExp) => built.panels.filter((p) => title.test(p.title ?? ''));
  const json = (v: unknown): string => JSON.stringify(v);

  it('waves (regions and starts at event time) and alerts are annotations of the selected rollout', () => {
    const annotations = new Map(built.annotations.list.map((a) => [a.name, a as { expr?: string; useValueForTime?: boolean; titleFormat?: string; textFormat?: string }]));
    assert.match(annotations.get('Waves')?.expr ?? '', /wavewatch_rollout_wave_in_progress\{rollout=~"\$rollout"\} == 1/);
    assert.match(annotations.get('Waves')?.textFormat ?? '', /\{\{clusters\}\}/);
    assert.equal(annotations.get('Wave starts')?.useValueForTime, true);
    assert.match(annotations.get('Alerts')?.expr ?? '', /wavewatch_alert_active/);
  });

  it('wave clusters sit beside the controls, DNS shows visible vs hidden vs projected, and the page is linked', () => {
    const wave = json(byTitle(/^Wave clusters: API-server busy seats vs capacity/));
    const control = json(byTitle(/^Controls/));
    assert.match(wave, /role=\\"wave\\"/);
    assert.match(control, /role=\\"control\\"/);
    for (const m of ['wavewatch_cluster_busy_seats', 'wavewatch_cluster_capacity_seats']) assert.ok(wave.includes(m) && control.includes(m), m);
    const dns = json(byTitle(/visible SERVFAIL vs hidden miss failure vs projected/));
    for (const m of ['wavewatch_dns_visible_error_ratio', 'wavewatch_dns_miss_failure_ratio', 'wavewatch_dns_projected_error_ratio']) assert.ok(dns.includes(m), m);
    assert.ok(json(built.panels).includes('/rollouts/$rollout'), 'a panel links to the rollout page');
    assert.ok(json((built as unknown as { links: unknown[] }).links).includes('/rollouts/${rollout}'), 'the dashboard links to the rollout page');
  });

  it('the fleet overview ranks clusters by risk and shows utilisation and DNS state as state timelines', () => {
    assert.equal(builtFleetDashboard.uid, 'wavewatch-fleet-overview');
    const types = builtFleetDashboard.panels.map((p) => p.type);
    assert.ok(types.includes('bargauge') && types.filter((t) => t === 'state-timeline').length >= 2, types.join());
    const fleet = panelExpressions(builtFleetDashboard).map((e) => e.expr);
    assert.ok(fleet.some((e) => /^sort_desc\(.*wavewatch_cluster_risk/.test(e)), 'sorted by risk');
    assert.ok(fleet.some((e) => e.includes('wavewatch_dns_state')) && fleet.some((e) => e.includes('wavewatch_cluster_utilization')));
  });
});

const promtool = existsSync('/usr/bin/promtool') ? '/usr/bin/promtool' : null;
const noPromtool = promtool ? false : 'promtool not installed at /usr/bin/promtool';

describe('dashboard PromQL', () => {
  it('every panel expression parses (promtool check rules, variables set to "All")', { skip: noPromtool }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavewatch-dashboards-'));
    try {
      const rules = exprs.map((expr, i) => ({ record: `dashboard:panel_${i}`, expr: withAllSelected(expr) }));
      const file = join(dir, 'panels.rules.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const run = spawnSync(promtool!, ['check', 'rules', file], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dashboard metrics against a running wavewatch', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp();
  });
  after(async () => {
    await app.close();
  });

  it('every wavewatch_* metric a panel queries is in /metrics', async () => {
    const res = await fetch(`${app.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    const families = [...new Set(exprs.flatMap(metricFamilies))].sort();
    assert.ok(families.length >= 14, `only ${families.length} metric families referenced`);
    const missing = families.filter((m) => !text.includes(`# HELP ${m} `));
    assert.deepEqual(missing, [], 'metrics queried by the dashboard but not exported');
  });
});

describe('local stack configuration', () => {
  const compose = readYaml('docker-compose.yml') as {
    services: Record<string, { image?: string; build?: unknown; command?: string[]; volumes?: string[]; environment?: Record<string, string> }>;
  };

  it('compose runs wavewatch, the fleet exporter, Prometheus and Grafana with mounts that exist', () => {
    for (const name of ['wavewatch', 'fleet', 'prometheus', 'grafana', 'postgres', 'redis']) assert.ok(compose.services[name], `service ${name}`);
    const fleet = compose.services.fleet!;
    assert.ok(fleet.build, 'fleet is built from the wavewatch Dockerfile');
    assert.deepEqual(fleet.command?.slice(1, 6), ['dist/scenarios/simulate.js', 'incident-2024-12-11', '--serve', '--port', '9100']);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) assert.ok(existsSync(join(root, source)), `${name} mounts missing ${source}`);
      }
    }
    assert.equal(compose.services.grafana?.environment?.GF_AUTH_ANONYMOUS_ENABLED, 'true');
    assert.equal(compose.services.grafana?.environment?.GF_AUTH_ANONYMOUS_ORG_ROLE, 'Viewer');
  });

  it('Grafana provisioning loads the generated dashboards and the compose Prometheus', () => {
    const providers = (readYaml('dashboards/provisioning/dashboards.yaml') as { providers: { type: string; options: { path: string } }[] }).providers;
    assert.equal(providers.length, 1);
    assert.equal(providers[0]?.type, 'file');
    const mounts = compose.services.grafana?.volumes ?? [];
    assert.ok(mounts.some((m) => m.startsWith('./dashboards/generated:' + providers[0]!.options.path)), 'generated folder mounted at the provider path');
    const sources = (readYaml('dashboards/provisioning/datasources.yaml') as { datasources: { uid: string; type: string; url: string }[] }).datasources;
    assert.deepEqual(sources.map((d) => [d.uid, d.type, d.url]), [['prometheus', 'prometheus', 'http://prometheus:9090']]);
  });

  it('Prometheus scrapes wavewatch and every simulated cluster and remote_writes to wavewatch', () => {
    const config = readYaml('prometheus/prometheus.yml') as {
      scrape_configs: { job_name: string; static_configs: { targets: string[]; labels?: Record<string, string> }[] }[];
      remote_write: { url: string }[];
    };
    const jobs = new Map(config.scrape_configs.map((c) => [c.job_name, c.static_configs]));
    assert.deepEqual(jobs.get('wavewatch')?.flatMap((s) => s.targets), ['wavewatch:8080']);
    const fleetClusters = (jobs.get('simulated-fleet') ?? []).map((s) => s.labels?.__param_cluster).sort();
    const scenarioClusters = loadScenario(scenarioPath('incident-2024-12-11')).clusters.map((c) => c.name).sort();
    assert.deepEqual(fleetClusters, scenarioClusters);
    assert.deepEqual(config.remote_write.map((r) => r.url), ['http://wavewatch:8080/api/v1/write']);
  });

  it('promtool accepts prometheus/prometheus.yml', { skip: noPromtool }, () => {
    const run = spawnSync(promtool!, ['check', 'config', join(root, 'prometheus', 'prometheus.yml')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
});
