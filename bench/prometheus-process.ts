import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStoreProcess } from './store-process.js';

// Starts Debian's Prometheus on 127.0.0.1 with a throw-away TSDB, for the ingest bench and the
// end-to-end test. Callers pass the YAML config; stop() kills exactly this process.

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface RunningPrometheus {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export function prometheusAvailable(binary = PROMETHEUS_BINARY): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(configYaml: string, extraArgs: readonly string[] = []): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'wavewatch-prom-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...extraArgs];
  const { pid, stop } = await startStoreProcess('prometheus', PROMETHEUS_BINARY, args, dir, `${url}/-/ready`);
  return { url, pid, stop };
}

/** remote_write's queue tuned to send within a second (tests wait on delivery, not on batching) */
export const FAST_REMOTE_WRITE_QUEUE = '    queue_config: { batch_send_deadline: 1s, max_samples_per_send: 500, min_backoff: 100ms, max_backoff: 1s }';

/** A config that scrapes one target every second as `cluster` and remote-writes to `writeUrl`. */
export function scrapeAndRemoteWriteConfig(o: { target: string; cluster: string; writeUrl: string; externalLabels?: Record<string, string> }): string {
  const external = Object.entries(o.externalLabels ?? {}).map(([k, v]) => `${k}: '${v}'`);
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    ...(external.length > 0 ? [`  external_labels: { ${external.join(', ')} }`] : []),
    'scrape_configs:',
    '  - job_name: apiserver',
    '    static_configs:',
    `      - targets: ['${o.target}']`,
    `        labels: { cluster: '${o.cluster}' }`,
    'remote_write:',
    `  - url: ${o.writeUrl}`,
    FAST_REMOTE_WRITE_QUEUE,
    '',
  ].join('\n');
}
