import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { FAST_REMOTE_WRITE_QUEUE, PROMETHEUS_BINARY, prometheusAvailable, startPrometheus, type RunningPrometheus } from '../bench/prometheus-process.js';
import { startApp, type RunningApp } from './support/start-app.js';

// A real Prometheus 2.42 sends its remote_write credentials the two ways its configuration
// offers (authorization.credentials_file as Bearer, basic_auth.password_file as Basic), as
// docker-compose.yml / prometheus/prometheus.yml do, plus one queue with a wrong token.

const available = prometheusAvailable();
if (!available) console.log(`# skipped: ${PROMETHEUS_BINARY} not found (CI installs the prometheus package)`);

describe('Prometheus 2.42 remote_write with a token', { skip: available ? false : 'prometheus binary not found' }, () => {
  let app: RunningApp;
  let exporter: Server;
  let prometheus: RunningPrometheus;
  const bearerToken = randomBytes(18).toString('base64url');
  const basicToken = randomBytes(18).toString('base64url');

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-auth-prom-'));
    const file = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const bearerFile = file('bearer-token', `${bearerToken}\n`);
    const basicFile = file('basic-password', basicToken);
    const wrongFile = file('wrong-token', randomBytes(18).toString('base64url'));
    const config = file(
      'wavewatch.yaml',
      [
        'auth:',
        '  tokens:',
        `    - { name: prom-bearer, tokenFile: "${bearerFile}", scopes: [metrics:write] }`,
        `    - { name: prom-basic, token: "${basicToken}", scopes: [metrics:write] }`,
        '',
      ].join('\n'),
    );
    app = await startApp({ WAVEWATCH_CONFIG: config });
    exporter = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end('# TYPE apiserver_current_inflight_requests gauge\napiserver_current_inflight_requests{request_kind="readOnly"} 7\n');
    });
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const address = exporter.address();
    const target = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const queue = FAST_REMOTE_WRITE_QUEUE;
    prometheus = await startPrometheus(
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: apiserver',
        `    static_configs: [{ targets: ['${target}'], labels: { cluster: auth-e2e } }]`,
        'remote_write:',
        `  - url: ${app.url}/api/v1/write`,
        '    name: bearer',
        `    authorization: { credentials_file: ${bearerFile} }`,
        queue,
        `  - url: ${app.url}/api/v1/write`,
        '    name: basic',
        `    basic_auth: { username: prometheus, password_file: ${basicFile} }`,
        queue,
        `  - url: ${app.url}/api/v1/write`,
        '    name: wrong',
        `    authorization: { credentials_file: ${wrongFile} }`,
        queue,
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => (exporter ? exporter.close(resolve) : resolve(undefined)));
    await app?.close();
  });

  it('accepts both credential styles by token name and counts the wrong one as invalid', async () => {
    const count = (text: string, token: string, status: number): number =>
      Number(new RegExp(`^wavewatch_http_requests_total\\{route="/api/v1/write",token="${token}",status="${status}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    let text = '';
    for (let waited = 0; waited < 240; waited++) {
      text = await (await fetch(`${app.url}/metrics`)).text();
      if (count(text, 'prom-bearer', 204) > 0 && count(text, 'prom-basic', 204) > 0 && count(text, 'invalid', 401) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(count(text, 'prom-bearer', 204) > 0, 'authorization.credentials_file (Bearer) accepted');
    assert.ok(count(text, 'prom-basic', 204) > 0, 'basic_auth.password_file accepted');
    assert.ok(count(text, 'invalid', 401) > 0, 'the wrong token refused');
    assert.ok(!text.includes(bearerToken) && !text.includes(basicToken));
  });
});

describe('the compose stack authenticates Prometheus', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const read = (path: string): unknown => parseYaml(readFileSync(join(root, path), 'utf8'));

  it('gives wavewatch a token and Prometheus the same one as its remote_write credentials_file', () => {
    const compose = read('docker-compose.yml') as {
      services: Record<string, { environment?: Record<string, string>; configs?: { source: string; target: string }[] }>;
      configs: Record<string, { content: string }>;
    };
    const prometheus = read('prometheus/prometheus.yml') as { remote_write: { url: string; authorization?: { credentials_file?: string } }[] };
    const token = compose.services.wavewatch?.environment?.WAVEWATCH_API_TOKENS;
    assert.ok(token, 'wavewatch has WAVEWATCH_API_TOKENS (protected mode refuses 0.0.0.0 without one)');
    const mount = compose.services.prometheus?.configs?.find((c) => c.source === 'wavewatch-token');
    assert.equal(compose.configs['wavewatch-token']?.content, token);
    assert.equal(prometheus.remote_write[0]?.authorization?.credentials_file, mount?.target);
  });
});
