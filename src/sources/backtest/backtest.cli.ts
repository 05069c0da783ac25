import { parseArgs } from 'node:util';
import { analysisConfigFrom } from '../../analysis/analysis-config.js';
import { loadConfig } from '../../config/load-config.js';
import { prometheusSource } from '../../config/config.schema.js';
import { SignalStore } from '../../signals/signal-store.js';
import { signalStoreOptions } from '../../signals/signal-store.options.js';
import { PullSource } from '../prometheus/pull-source.js';
import { eventsFromDatabase, eventsFromFile } from './backtest-events.js';
import { formatBacktest } from './backtest-report.js';
import { runBacktest } from './backtest-runner.js';
import { PullFeed } from './pull-feed.js';

// npm run backtest -- --source URL --from T1 --to T2 (--events FILE | --database URL)
//   [--config wavewatch.yaml] [--lookback SECONDS] [--json]
// "Would wavewatch have held our rollout last Tuesday?": the period is pulled from the
// store and evaluated in event time as live pull mode would have, no server involved.

const USAGE = 'usage: npm run backtest -- --source URL --from T1 --to T2 (--events FILE | --database URL) [--config FILE] [--lookback SECONDS] [--json]';

function time(text: string | undefined, name: string): number {
  if (!text) throw new Error(`--${name} is required`);
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`--${name}: expected RFC 3339 or unix ms, got "${text}"`);
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      events: { type: 'string' },
      database: { type: 'string' },
      config: { type: 'string' },
      lookback: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig(values.config ? { WAVEWATCH_CONFIG: values.config } : {});
  const url = values.source ?? config.sources.prometheus?.url;
  if (!url) throw new Error('--source is required (or sources.prometheus.url in --config)');
  const source = prometheusSource.parse({ ...config.sources.prometheus, url });
  const fromMs = time(values.from, 'from');
  const toMs = time(values.to, 'to');
  if (!(toMs > fromMs)) throw new Error('--to must be after --from');
  if (!values.events === !values.database) throw new Error('give --events FILE or --database URL');
  const events = values.events ? eventsFromFile(values.events) : await eventsFromDatabase({ databaseUrl: values.database }, fromMs, toMs);
  // baselines need history before the period, as the live window would have held it
  const lookbackMs = Number(values.lookback ?? config.signals.windowSeconds) * 1000;

  const store = new SignalStore(signalStoreOptions(config));
  const pull = new PullSource(config, source, undefined, (w) => console.error(`store warning: ${w}`));
  const feed = new PullFeed(pull.fetcher, store, store.stepMs, fromMs - lookbackMs, toMs, source.maxBatchPoints);
  const started = Date.now();
  const result = await runBacktest({
    reader: store,
    feed,
    events,
    config: analysisConfigFrom(config),
    lifecycle: { pendingSteps: config.analysis.pendingSteps, resolveAfterSteps: config.analysis.resolveAfterSteps },
    fromMs,
    toMs,
  });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else console.log(formatBacktest(result, { fromMs, toMs, clusters: store.clusters().length, batches: feed.batches, queriesPerBatch: pull.fetcher.queryCount, elapsedMs: Date.now() - started }));
}

main().catch((error: unknown) => {
  console.error(`backtest: ${error instanceof Error ? error.message : String(error)}`);
  console.error(USAGE);
  process.exitCode = 2;
});
