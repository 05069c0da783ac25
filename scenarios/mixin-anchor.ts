import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDurationSeconds } from './duration.js';
import { simulate } from './fleet-simulator.js';
import { MIXIN_ALERT_NAMES, mixinRulesYaml } from './mixin-rules.js';
import type { Scenario } from './scenario.types.js';
import type { AnchorAlert } from './score.js';
import { labelValue } from './series-query.js';

// When would the community alerts have fired? Evaluated by the real Prometheus engine:
// `promtool test rules` over per-cluster aggregates in input_series notation, asking for the
// firing alerts at every step (the "unexpected" alerts promtool reports are the answer).

export interface MixinResult {
  readonly alerts: AnchorAlert[] | null;
  readonly note: string | null;
}

const PROMTOOL_CANDIDATES = ['/usr/bin/promtool', '/usr/local/bin/promtool'];
const TIMEOUT_MS = 60_000;

/** Per cluster and tick: SERVFAIL/other responses, API requests and those within the SLO latency, apiservers up. */
function aggregates(scenario: Scenario): Map<string, (number | null)[]> {
  const series = new Map<string, (number | null)[]>();
  let tickIndex = 0;
  const add = (key: string, v: number): void => {
    let list = series.get(key);
    if (!list) series.set(key, (list = []));
    while (list.length <= tickIndex) list.push(null);
    list[tickIndex] = (list[tickIndex] ?? 0) + v;
  };
  for (const item of simulate(scenario)) {
    if (item.kind !== 'scrape') continue;
    item.labels.forEach((labels, i) => {
      const v = item.values[i]!;
      if (Number.isNaN(v)) return;
      const metric = labels[0]!.value;
      const cluster = labelValue(labels, 'cluster')!;
      if (metric === 'coredns_dns_responses_total') add(`coredns_dns_responses_total{cluster="${cluster}",rcode="${labelValue(labels, 'rcode')}"}`, v);
      else if (metric === 'up' && labelValue(labels, 'job') === 'apiserver') add(`up{cluster="${cluster}",job="apiserver"}`, v);
      else if (metric === 'apiserver_request_duration_seconds_count' || metric === 'apiserver_request_duration_seconds_bucket') {
        const verb = labelValue(labels, 'verb')!;
        const read = verb === 'GET' || verb === 'LIST';
        const cls = read ? 'read' : 'write';
        if (metric.endsWith('_count')) add(`mixin_input:apiserver_request_count_total{cluster="${cluster}",verb="${cls}"}`, v);
        else {
          // kubernetes-mixin SLO: reads within 1 s (resource), 5 s (namespace), 30 s (cluster); writes within 1 s
          const scope = labelValue(labels, 'scope');
          const slo = !read || scope === 'resource' ? '1' : scope === 'namespace' ? '5' : '30';
          if (labelValue(labels, 'le') === slo) add(`mixin_input:apiserver_request_fast_total{cluster="${cluster}",verb="${cls}"}`, v);
        }
      }
    });
    tickIndex++;
  }
  return series;
}

function notation(values: (number | null)[], ticks: number): string {
  const out: string[] = [];
  let live = false;
  for (let i = 0; i < ticks; i++) {
    const v = values[i] ?? null;
    if (v === null) {
      out.push(live ? 'stale' : '_');
      live = false;
    } else {
      out.push(String(Math.round(v * 1000) / 1000));
      live = true;
    }
  }
  return out.join(' ');
}

function testFile(scenario: Scenario, series: Map<string, (number | null)[]>): string {
  const ticks = Math.floor((scenario.endMs - scenario.startMs) / scenario.intervalMs) + 1;
  const step = Math.max(30, scenario.intervalMs / 1000);
  const lines = ['rule_files: [rules.yaml]', `evaluation_interval: ${scenario.intervalMs / 1000}s`, 'tests:', `  - interval: ${scenario.intervalMs / 1000}s`, '    input_series:'];
  for (const [name, values] of series) lines.push(`      - series: '${name}'`, `        values: '${notation(values, ticks)}'`);
  lines.push('    alert_rule_test:');
  for (let t = step; t <= (scenario.endMs - scenario.startMs) / 1000; t += step) {
    for (const alert of MIXIN_ALERT_NAMES) lines.push(`      - { eval_time: ${t}s, alertname: ${alert}, exp_alerts: [] }`);
  }
  return lines.join('\n') + '\n';
}

/** Parses promtool's failure report: each "got" alert is one that fires at that eval time. */
export function parsePromtoolReport(output: string, startMs: number): AnchorAlert[] {
  const first = new Map<string, AnchorAlert>();
  let atMs: number | null = null;
  for (const line of output.split('\n')) {
    const head = /alertname: (\w+), time: ([0-9hms.]+),/.exec(line);
    if (head) {
      const seconds = parseDurationSeconds(head[2]!);
      atMs = seconds === undefined ? null : startMs + seconds * 1000;
      continue;
    }
    const got = /Labels:\{(.*)\}/.exec(line);
    if (!got || atMs === null) continue;
    const labels = Object.fromEntries([...got[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const name = `${labels.alertname}(${[labels.severity, labels.long].filter(Boolean).join(',')})`;
    const key = `${name}/${labels.cluster}`;
    const seen = first.get(key);
    if (!seen || seen.firesAtMs > atMs) first.set(key, { name, cluster: labels.cluster ?? '', firesAtMs: atMs });
  }
  return [...first.values()].sort((a, b) => a.firesAtMs - b.firesAtMs || a.cluster.localeCompare(b.cluster));
}

export async function mixinAnchors(scenario: Scenario): Promise<MixinResult> {
  const promtool = PROMTOOL_CANDIDATES.find((p) => existsSync(p));
  if (!promtool) return { alerts: null, note: 'promtool not found; mixin anchors not evaluated' };
  const dir = await mkdtemp(join(tmpdir(), 'wavewatch-mixin-'));
  try {
    await writeFile(join(dir, 'rules.yaml'), mixinRulesYaml());
    await writeFile(join(dir, 'test.yaml'), testFile(scenario, aggregates(scenario)));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(promtool, ['test', 'rules', 'test.yaml'], { cwd: dir, timeout: TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
        // exit 1 is expected: every firing alert is "unexpected"
        if (error && error.killed) reject(new Error(`promtool timed out after ${TIMEOUT_MS / 1000} s`));
        else if (error && !/FAILED/.test(stdout + stderr)) reject(new Error(`promtool failed: ${(stderr || stdout).slice(0, 500)}`));
        else resolve(stdout + stderr);
      });
    });
    return { alerts: parsePromtoolReport(output, scenario.startMs), note: null };
  } catch (error) {
    return { alerts: null, note: error instanceof Error ? error.message : String(error) };
  } finally {
    if (!process.env.WAVEWATCH_KEEP_MIXIN_DIR) await rm(dir, { recursive: true, force: true });
  }
}
