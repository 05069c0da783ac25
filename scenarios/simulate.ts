import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clusterExposition } from './exposition.js';
import { simulate, type ScrapeTick, type SimulationItem } from './fleet-simulator.js';
import { groundTruth } from './ground-truth.js';
import { loadScenario, ScenarioError } from './load-scenario.js';
import { scenarioPath } from './scenario-files.js';
import type { Scenario } from './scenario.types.js';

// npm run simulate -- <scenario>                      prints the ground truth as JSON
// npm run simulate -- <scenario> --serve [--port N] [--speed N] [--host H]
//   serves each cluster's metrics (/metrics?cluster=NAME, /clusters/NAME/metrics) advancing in
//   real time × speed, for a real Prometheus to scrape and remote_write to wavewatch.

interface Args {
  scenario: string;
  serve: boolean;
  port: number;
  host: string;
  speed: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scenario: '', serve: false, port: 9400, host: '127.0.0.1', speed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--serve') args.serve = true;
    else if (a === '--port') args.port = Number(argv[++i]);
    else if (a === '--host') args.host = argv[++i] ?? '';
    else if (a === '--speed') args.speed = Number(argv[++i]);
    else if (a.startsWith('--')) throw new ScenarioError(`unknown option ${a}`);
    else args.scenario = a;
  }
  if (!args.scenario) throw new ScenarioError('usage: simulate <scenario> [--serve] [--port N] [--speed N] [--host H]');
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new ScenarioError('--port must be 0..65535');
  if (!(args.speed > 0 && args.speed <= 1000)) throw new ScenarioError('--speed must be in (0, 1000]');
  return args;
}

/** Advances the generator lazily to the scenario time that corresponds to the wall clock. */
export class LiveFleet {
  private readonly items: Iterator<SimulationItem>;
  private latest: ScrapeTick | null = null;
  private done = false;
  private readonly startedAt = Date.now();

  constructor(
    readonly scenario: Scenario,
    private readonly speed: number,
  ) {
    this.items = simulate(scenario)[Symbol.iterator]();
  }

  current(now = Date.now()): ScrapeTick | null {
    const simTime = this.scenario.startMs + (now - this.startedAt) * this.speed;
    while (!this.done && (this.latest === null || this.latest.atMs + this.scenario.intervalMs <= simTime)) {
      const next = this.items.next();
      if (next.done) this.done = true;
      else if (next.value.kind === 'scrape') this.latest = next.value;
    }
    return this.latest;
  }
}

function prometheusConfig(url: string, scenario: Scenario): string {
  const address = url.replace(/^https?:\/\//, '');
  const targets = scenario.clusters.map((c) => `      - { targets: ['${address}'], labels: { __param_cluster: ${c.name} } }`).join('\n');
  return `# prometheus.yml: scrape every simulated cluster, forward to wavewatch
global:
  scrape_interval: ${scenario.intervalMs / 1000}s
scrape_configs:
  - job_name: simulated-fleet
    honor_labels: true   # keep the simulator's cluster/job/instance labels
    metrics_path: /metrics
    static_configs:
${targets}
remote_write:
  - url: http://127.0.0.1:8080/api/v1/write
`;
}

function serve(args: Args, scenario: Scenario): void {
  const fleet = new LiveFleet(scenario, args.speed);
  const names = new Set(scenario.clusters.map((c) => c.name));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = /^\/clusters\/([^/]+)\/metrics$/.exec(url.pathname);
    const cluster = path ? decodeURIComponent(path[1]!) : url.pathname === '/metrics' ? url.searchParams.get('cluster') : null;
    if (url.pathname === '/clusters') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify([...names]));
      return;
    }
    if (cluster === null || !names.has(cluster)) {
      res.writeHead(cluster === null ? 404 : 400, { 'Content-Type': 'text/plain' }).end(cluster === null ? 'not found\n' : `unknown cluster ${cluster}\n`);
      return;
    }
    const tick = fleet.current();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(tick ? clusterExposition(tick, cluster) : '');
  });
  server.listen(args.port, args.host, () => {
    const { port } = server.address() as AddressInfo;
    const url = `http://${args.host}:${port}`;
    process.stdout.write(`serving ${scenario.name} (${names.size} clusters) at ${url} — /metrics?cluster=NAME, /clusters/NAME/metrics; speed ×${args.speed}\n\n`);
    process.stdout.write(prometheusConfig(url, scenario));
  });
  const stop = (): void => {
    server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const scenario = loadScenario(scenarioPath(args.scenario));
  if (args.serve) serve(args, scenario);
  else process.stdout.write(JSON.stringify(groundTruth(scenario), null, 2) + '\n');
}

try {
  main();
} catch (error) {
  process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
