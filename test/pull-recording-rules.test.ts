import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from '../bench/prometheus-process.js';
import { configSchema, type AppConfig } from '../src/config/config.schema.js';
import { SignalStore } from '../src/signals/signal-store.js';
import { signalStoreOptions } from '../src/signals/signal-store.options.js';
import { applyBatch } from '../src/sources/prometheus/pull-fetcher.js';
import { pullFetcher } from '../src/sources/prometheus/pull-source.js';
import { recordingRules } from '../src/sources/prometheus/recording-rules.js';

// `npm run rules` output is valid for promtool, and a real Prometheus 2.42 evaluating it gives
// pull mode the same signal values from the recorded series as from the raw ones.

const PROMTOOL = '/usr/bin/promtool';
const promtoolOk = spawnSync(PROMTOOL, ['--version'], { stdio: 'ignore' }).status === 0;
const promOk = prometheusAvailable();
if (!promtoolOk || !promOk) console.log('# skipped: promtool or prometheus not found (CI installs the prometheus package)');

function rulesFile(config: AppConfig): string {
  const dir = mkdtempSync(join(tmpdir(), 'wavewatch-rules-'));
  const file = join(dir, 'wavewatch.rules.yml');
  writeFileSync(file, recordingRules(pullFetcher(config, config.sources.prometheus!).plan, config.signals.stepSeconds));
  return file;
}

describe('recording rules', { skip: promtoolOk && promOk ? false : 'promtool or prometheus not found' }, () => {
  it('passes promtool check rules for the default catalog and a user signal', () => {
    const config = configSchema.parse({
      sources: { prometheus: { url: 'http://127.0.0.1:9090' } },
      signals: { definitions: [{ name: 'agent_list_rate', kind: 'counter_rate', metrics: ['apiserver_request_total'], matchers: { verb: 'LIST', client: '=~telemetry-agent.*' } }] },
    });
    const file = rulesFile(config);
    const check = spawnSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /SUCCESS: \d+ rules found/);
  });

  describe('read by pull mode from a Prometheus evaluating them', () => {
    let exporter: Server;
    let prometheus: RunningPrometheus;
    let config: AppConfig;

    before(async () => {
      let scrapes = 0;
      exporter = createServer((_req, res) => {
        scrapes++;
        res.setHeader('Content-Type', 'text/plain; version=0.0.4');
        res.end(
          [
            '# TYPE apiserver_request_total counter',
            `apiserver_request_total{code="200",verb="LIST"} ${30 * scrapes}`,
            `apiserver_request_total{code="200",verb="GET"} ${60 * scrapes}`,
            '# TYPE apiserver_current_inflight_requests gauge',
            'apiserver_current_inflight_requests{request_kind="readOnly"} 7',
            '',
          ].join('\n'),
        );
      });
      await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
      const address = exporter.address();
      const target = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      config = configSchema.parse({ signals: { stepSeconds: 1 }, sources: { prometheus: { url: 'http://127.0.0.1:1', rateWindowSeconds: 4, delaySeconds: 0 } } });
      const rules = rulesFile(config);
      prometheus = await startPrometheus(
        ['global: { scrape_interval: 1s, evaluation_interval: 1s }', `rule_files: ['${rules}']`, 'scrape_configs:', '  - job_name: apiserver', `    static_configs: [{ targets: ['${target}'], labels: { cluster: rec } }]`, ''].join('\n'),
      );
      config = configSchema.parse({ ...config, sources: { prometheus: { ...config.sources.prometheus, url: prometheus.url } } });
    });
    after(async () => {
      await prometheus?.stop();
      await new Promise((resolve) => (exporter ? exporter.close(resolve) : resolve(undefined)));
    });

    it('discovers the recorded aggregates and reads the same request rate from them', async () => {
      const raw = pullFetcher(config, config.sources.prometheus!).fetcher;
      const recorded = pullFetcher(config, config.sources.prometheus!).fetcher;
      let ids = new Set<string>();
      for (let i = 0; i < 60 && ids.size < 2; i++) {
        await new Promise((r) => setTimeout(r, 500));
        ids = await recorded.discoverRecorded(Date.now());
      }
      assert.ok(ids.size >= 2, `recorded terms found: ${[...ids].join(',')}`);
      recorded.useRecorded(ids);
      await new Promise((r) => setTimeout(r, 6000));
      const lastK = Math.floor((Date.now() - 5000) / 1000) - 1;
      const rate = async (fetcher: typeof raw): Promise<number> => {
        const store = new SignalStore(signalStoreOptions(config));
        applyBatch(store, await fetcher.fetch(lastK - 2, 3), 1000);
        const v = store.values('rec', 'api_request_rate', lastK * 1000, lastK * 1000)[0]!;
        return v;
      };
      const fromRecorded = await rate(recorded);
      const fromRaw = await rate(raw);
      // LIST +30 and GET +60 per scrape, scraped about every second (later on a loaded machine)
      assert.ok(fromRaw > 45 && fromRaw < 135, `raw ${fromRaw}`);
      // the recorded rate was evaluated up to one rule interval earlier
      assert.ok(Math.abs(fromRecorded - fromRaw) / fromRaw < 0.3, `recorded ${fromRecorded}, raw ${fromRaw}`);
    });
  });
});
