import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../src/app.factory.js';
import type { AppConfig } from '../src/config/config.schema.js';
import { ConfigError, loadConfig } from '../src/config/load-config.js';
import type { AlertView } from '../src/alerts/alert.types.js';
import { groundTruth, type GroundTruth } from './ground-truth.js';
import { loadScenario } from './load-scenario.js';
import { mixinAnchors } from './mixin-anchor.js';
import { fetchAlerts, replay, type ReplayResult } from './replay-runner.js';
import { scenarioPath } from './scenario-files.js';
import { renderScore } from './score-table.js';
import { score, type AnchorAlert } from './score.js';
import { replayReportHtml } from './demo-report.js';

// npm run demo [-- --once] [--scenario NAME] [--port N] [--report FILE.html] [--until HH:MM]
// Starts wavewatch on embedded defaults (PGlite, in-process queue) unless DATABASE_URL /
// REDIS_URL are set, replays the bundled incident through the real HTTP ingest path and
// prints the timeline: waves, gate verdicts, alerts with their lag and lead.

interface Args {
  once: boolean;
  scenario: string;
  port: number | null;
  report: string | null;
  /** stop the replay at this event time of day (UTC), e.g. 23:23: the page as an SRE saw it then */
  until: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { once: false, scenario: 'incident-2024-12-11', port: null, report: null, until: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--once') args.once = true;
    else if (a === '--scenario') args.scenario = argv[++i] ?? args.scenario;
    else if (a === '--port') args.port = Number(argv[++i]);
    else if (a === '--report') args.report = argv[++i] ?? null;
    else if (a === '--until') args.until = argv[++i] ?? null;
    else throw new Error(`unknown option ${a ?? ''}; usage: npm run demo -- [--once] [--scenario NAME] [--port N] [--report FILE.html] [--until HH:MM]`);
  }
  return args;
}

const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
const out = (line = ''): void => void process.stdout.write(line + '\n');

async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  try {
    await app.listen(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    out(`port ${port} is busy; using a free port instead`);
    await app.listen(0, host);
  }
  return (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
}

// The first time of day HH:MM[:SS] (UTC) at or after the scenario's start.
function untilMs(startMs: number, hhmm: string): number {
  const m = /^(\d\d):(\d\d)(?::(\d\d))?$/.exec(hhmm);
  if (!m) throw new Error(`--until: expected HH:MM or HH:MM:SS (UTC), got "${hhmm}"`);
  const day = new Date(startMs);
  let at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), Number(m[1]), Number(m[2]), Number(m[3] ?? 0));
  if (at < startMs) at += 24 * 3600_000;
  return at;
}

interface TimelineEntry {
  atMs: number;
  text: string;
}

function timeline(truth: GroundTruth, result: ReplayResult, alerts: readonly AlertView[], anchors: readonly AnchorAlert[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const gateByWave = new Map(result.gates.map((g) => [g.wave, g]));
  const interval = truth.intervalMs;
  for (const w of truth.waves) {
    const gate = gateByWave.get(w.wave);
    const gateText = gate ? `gate ${gate.status} ${gate.verdict ?? '?'} (expected ${w.expectedGate})` : 'gate not asked';
    entries.push({ atMs: w.startMs, text: `${w.wave} starts on ${w.clusters.length} clusters — ${gateText}` });
  }
  for (const c of truth.clusters) {
    if (c.overloadOnsetMs !== null) entries.push({ atMs: c.overloadOnsetMs, text: `  truth: ${c.cluster} API server overloaded (peak ${(c.peakUtilisation * 100).toFixed(0)} % of seats)` });
    if (c.collapseMs !== null) entries.push({ atMs: c.collapseMs, text: `  truth: ${c.cluster} control plane collapses` });
    if (c.dnsFailureOnsetMs !== null) entries.push({ atMs: c.dnsFailureOnsetMs, text: `  truth: ${c.cluster} DNS cache misses start failing (${c.dnsFailureCause ?? '?'})` });
    if (c.servfailVisibleMs !== null) entries.push({ atMs: c.servfailVisibleMs, text: `  truth: ${c.cluster} client-visible SERVFAIL crosses 1 %` });
  }
  for (const a of alerts) {
    const startsAt = Date.parse(a.startsAt);
    const cluster = a.clusters[0];
    const onset = truth.required.find((e) => e.name === a.name && e.cluster === cluster)?.atMs;
    const visible = truth.clusters.find((c) => c.cluster === cluster)?.servfailVisibleMs ?? null;
    const lag = onset === undefined ? '' : ` lag ${((startsAt - onset) / interval).toFixed(1)} intervals`;
    const lead = visible === null ? '' : ` lead ${Math.round((visible - startsAt) / 1000)} s over visible impact`;
    const mixin = anchors.filter((x) => x.cluster === cluster && x.firesAtMs >= startsAt).sort((x, y) => x.firesAtMs - y.firesAtMs)[0];
    const overMixin = mixin ? `, ${Math.round((mixin.firesAtMs - startsAt) / 60000)} min before ${mixin.name}` : '';
    const ttl = a.timeToImpactSeconds !== null ? ` time-to-impact ${Math.round(a.timeToImpactSeconds)} s` : '';
    entries.push({ atMs: startsAt, text: `ALERT ${a.name} ${a.severity} [${a.clusters.join(',')}]${a.rolloutId ? ` rollout=${a.rolloutId}` : ''}${lag}${lead}${overMixin}${ttl}` });
    if (a.endsAt) entries.push({ atMs: Date.parse(a.endsAt), text: `resolved ${a.name} [${a.clusters.join(',')}]` });
  }
  for (const x of anchors) entries.push({ atMs: x.firesAtMs, text: `  community mixin: ${x.name} fires for ${x.cluster}` });
  return entries.sort((a, b) => a.atMs - b.atMs);
}

// The replay pushes metrics and events, reads and catches up: a token with every scope.
function demoToken(config: AppConfig): string | undefined {
  if (process.env.WAVEWATCH_TOKEN) return process.env.WAVEWATCH_TOKEN;
  if (config.auth.tokens.length === 0) return undefined;
  const admin = config.auth.tokens.find((t) => t.scopes.includes('admin'));
  if (!admin) throw new ConfigError('the demo needs a token with the admin scope among auth.tokens (or WAVEWATCH_TOKEN)');
  return admin.secret;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  // loopback unless HOST says otherwise: protected mode needs no token there
  const config = loadConfig({ LOG_LEVEL: 'warn', LOG_FORMAT: 'text', HOST: '127.0.0.1', ...process.env });
  const token = demoToken(config);
  const app = await createApp(config);
  const url = await listen(app, args.port ?? config.port, config.host);
  out(`wavewatch demo on ${url}`);
  out(`  storage: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite (${config.dataDir ?? 'in memory'})`}; queue: ${config.redisUrl ? 'BullMQ on Redis (REDIS_URL)' : 'in-process'}`);

  const loaded = loadScenario(scenarioPath(args.scenario));
  const scenario = args.until ? { ...loaded, endMs: Math.min(loaded.endMs, untilMs(loaded.startMs, args.until)) } : loaded;
  const truth = groundTruth(scenario);
  out(`  scenario: ${scenario.name} — ${scenario.clusters.length} clusters, ${scenario.intervalMs / 1000} s scrapes, ${truth.waves.length} waves`);
  out('');
  const anchorsPromise = mixinAnchors(scenario);
  let lastPrinted = 0;
  const result = await replay(scenario, url, {
    token,
    onProgress: (atMs) => {
      if (atMs - lastPrinted < 15 * 60_000) return;
      lastPrinted = atMs;
      out(`  … replayed up to ${hhmmss(atMs)} event time`);
    },
  });
  const alerts = await fetchAlerts(url, token);
  const anchors = await anchorsPromise;
  out(`replayed ${result.samples} samples in ${result.writeRequests} remote_write requests and ${result.events.length} deploy events in ${(result.elapsedMs / 1000).toFixed(0)} s`);
  if (anchors.note) out(`community mixin anchors: ${anchors.note}`);
  out('');
  out('timeline (event time, UTC):');
  const lines = timeline(truth, result, alerts, anchors.alerts ?? []).map((e) => `  ${hhmmss(e.atMs)}  ${e.text}`);
  for (const line of lines) out(line);
  out('');
  const report = score(truth, alerts, result.gates, anchors.alerts ?? []);
  // a replay cut short cannot meet the targets that lie after the cut
  const scoreText = args.until ? `score: not computed (replay stopped at ${hhmmss(scenario.endMs)} by --until)` : renderScore(report);
  out(scoreText);
  out('');
  const rolloutPage = truth.rolloutId ? `${url}/rollouts/${encodeURIComponent(truth.rolloutId)}` : null;
  if (args.report && truth.rolloutId) {
    const file = resolve(args.report);
    writeFileSync(file, await replayReportHtml(url, truth.rolloutId, { scenario: scenario.name, timeline: lines, score: scoreText }));
    out(`report written to ${file} (self-contained: open it offline)`);
  }
  if (rolloutPage) out(`rollout page: ${rolloutPage}`);
  if (args.once) {
    await app.close();
    return report.passed || args.until ? 0 : 1;
  }
  const rolloutId = truth.rolloutId ?? 'unknown';
  out('wavewatch keeps running; open the rollout page above, or try:');
  out(`  curl -s ${url}/api/v1/rollouts/${rolloutId}/health`);
  out(`  curl -s '${url}/api/v1/alerts?state=all'`);
  out(`  curl -s ${url}/metrics | grep wavewatch_`);
  out('press Ctrl-C to stop');
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
