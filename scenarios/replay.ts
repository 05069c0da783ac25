import { groundTruth } from './ground-truth.js';
import { loadScenario, ScenarioError } from './load-scenario.js';
import { mixinAnchors } from './mixin-anchor.js';
import { fetchAlerts, replay } from './replay-runner.js';
import { scenarioPath } from './scenario-files.js';
import { renderScore } from './score-table.js';
import { score } from './score.js';

// npm run replay -- <scenario> [--url URL] [--token TOKEN] [--score] [--no-mixin]
// Replays a scenario into a running wavewatch (it starts nothing) and optionally scores it.
// The token (default: $WAVEWATCH_TOKEN) is sent as Bearer; it needs every scope (admin).

interface Args {
  scenario: string;
  url: string;
  token: string | undefined;
  score: boolean;
  mixin: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scenario: '', url: 'http://127.0.0.1:8080', token: process.env.WAVEWATCH_TOKEN || undefined, score: false, mixin: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--url') args.url = argv[++i] ?? '';
    else if (a === '--token') args.token = argv[++i] || undefined;
    else if (a === '--score') args.score = true;
    else if (a === '--no-mixin') args.mixin = false;
    else if (a.startsWith('--')) throw new ScenarioError(`unknown option ${a}`);
    else args.scenario = a;
  }
  if (!args.scenario) throw new ScenarioError('usage: replay <scenario.yaml|bundled-name> [--url URL] [--token TOKEN] [--score] [--no-mixin]');
  if (!/^https?:\/\//.test(args.url)) throw new ScenarioError(`--url must be an http(s) URL, got "${args.url}"`);
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const scenario = loadScenario(scenarioPath(args.scenario));
  process.stdout.write(`replaying ${scenario.name} (${scenario.clusters.length} clusters, ${scenario.intervalMs / 1000}s scrapes) into ${args.url}\n`);
  const result = await replay(scenario, args.url, { token: args.token });
  const failedEvents = result.events.filter((e) => e.status >= 300);
  process.stdout.write(
    `sent ${result.samples} samples in ${result.writeRequests} requests (${Object.entries(result.writeStatuses).map(([s, n]) => `${n}×${s}`).join(', ')}), ` +
      `${result.events.length} deploy events (${failedEvents.length} rejected), ${result.retries} retries, ${(result.elapsedMs / 1000).toFixed(1)} s\n`,
  );
  for (const e of failedEvents) process.stdout.write(`  event ${e.eventId}: ${e.status} ${e.body.slice(0, 200)}\n`);
  for (const g of result.gates) process.stdout.write(`  gate before ${g.wave}: ${g.status} ${g.verdict ?? ''}\n`);
  if (!args.score) return failedEvents.length > 0 ? 1 : 0;

  const truth = groundTruth(scenario);
  const anchors = args.mixin ? await mixinAnchors(scenario) : { alerts: null, note: null };
  const report = score(truth, await fetchAlerts(args.url, args.token), result.gates, anchors.alerts ?? []);
  if (anchors.note) process.stdout.write(`mixin: ${anchors.note}\n`);
  process.stdout.write(renderScore(report) + '\n');
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
