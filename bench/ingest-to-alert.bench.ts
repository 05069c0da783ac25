import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/load-config.js';
import { benchToken } from './wavewatch-process.js';

// Ingest-to-alert latency: a cluster reports healthy API-server figures, then a scrape whose
// APF rejections and busy seats cross the overload thresholds. Measured: wall time from the
// POST of the first sample at which the condition can be decided to the alert being visible
// in GET /api/v1/alerts. Baseline in the same run: the round trip of that GET alone.

const STEP_MS = 15_000;
const HEALTHY_STEPS = 24;
const MAX_OVERLOAD_STEPS = 8;
const POLL_MS = 5;
const WAIT_PER_STEP_MS = 2000;

function scrape(cluster: string, tMs: number, counters: { rejected: number; busySum: number; requests: number }): string {
  const l = `cluster="${cluster}",instance="10.0.0.1:6443",job="apiserver"`;
  return [
    `apiserver_flowcontrol_rejected_requests_total{${l},priority_level="workload-low",reason="queue-full"} ${counters.rejected} ${tMs}`,
    `apiserver_request_duration_seconds_sum{${l},verb="LIST",resource="pods",scope="cluster",component="apiserver"} ${counters.busySum} ${tMs}`,
    `apiserver_request_total{${l},verb="LIST",resource="pods",code="200",component="apiserver"} ${counters.requests} ${tMs}`,
    `apiserver_flowcontrol_nominal_limit_seats{${l},priority_level="workload-low"} 600 ${tMs}`,
    `apiserver_storage_objects{${l},resource="nodes"} 500 ${tMs}`,
    `up{${l}} 1 ${tMs}`,
    '',
  ].join('\n');
}

async function alertVisible(url: string, auth: Record<string, string>, cluster: string): Promise<boolean> {
  const alerts = (await (await fetch(`${url}/api/v1/alerts?state=firing`, { headers: auth })).json()) as { name: string; clusters: string[] }[];
  return alerts.some((a) => a.name === 'ControlPlaneOverload' && a.clusters.includes(cluster));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export interface IngestToAlertRow {
  trials: number;
  medianMs: number;
  maxMs: number;
  overloadScrapesNeeded: number[];
  baselineGetMs: number;
}

export async function runIngestToAlertBench(trials = 5): Promise<IngestToAlertRow> {
  const token = benchToken();
  const auth = { Authorization: `Bearer ${token}` };
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', WAVEWATCH_API_TOKENS: token });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const latencies: number[] = [];
  const needed: number[] = [];
  const gets: number[] = [];
  try {
    let t = Date.UTC(2024, 11, 11, 20, 0, 0);
    for (let trial = 0; trial < trials; trial++) {
      const cluster = `bench-${trial}`;
      const counters = { rejected: 0, busySum: 0, requests: 0 };
      const send = async (): Promise<void> => {
        const res = await fetch(`${url}/api/v1/import/prometheus`, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth }, body: scrape(cluster, t, counters) });
        if (res.status !== 204) throw new Error(`import answered ${res.status}: ${await res.text()}`);
        t += STEP_MS;
      };
      for (let i = 0; i < HEALTHY_STEPS; i++) {
        counters.busySum += 60 * 15;
        counters.requests += 200 * 15;
        await send();
      }
      let found = false;
      for (let k = 1; k <= MAX_OVERLOAD_STEPS && !found; k++) {
        counters.rejected += 50 * 15;
        counters.busySum += 700 * 15;
        counters.requests += 800 * 15;
        await send();
        const sent = performance.now();
        while (performance.now() - sent < WAIT_PER_STEP_MS) {
          const g0 = performance.now();
          const visible = await alertVisible(url, auth, cluster);
          gets.push(performance.now() - g0);
          if (visible) {
            latencies.push(performance.now() - sent);
            needed.push(k);
            found = true;
            break;
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      }
      if (!found) throw new Error(`no ControlPlaneOverload for ${cluster} after ${MAX_OVERLOAD_STEPS} overloaded scrapes`);
      // a gap in event time between trials so each cluster's story stands alone
      t += 30 * 60_000;
    }
  } finally {
    await app.close();
  }
  return { trials, medianMs: median(latencies), maxMs: Math.max(...latencies), overloadScrapesNeeded: needed, baselineGetMs: median(gets) };
}

export function printIngestToAlert(row: IngestToAlertRow): void {
  process.stdout.write(
    [
      'ingest-to-alert latency (embedded PGlite, text import, ControlPlaneOverload):',
      `  trials ${row.trials}; overloaded scrapes needed per trial: ${row.overloadScrapesNeeded.join(', ')}`,
      `  median ${row.medianMs.toFixed(0)} ms, max ${row.maxMs.toFixed(0)} ms from the deciding POST to the alert in GET /api/v1/alerts`,
      `  baseline: GET /api/v1/alerts round trip median ${row.baselineGetMs.toFixed(1)} ms → latency is ${(row.medianMs / row.baselineGetMs).toFixed(0)}x a bare API read`,
      '',
    ].join('\n'),
  );
}
