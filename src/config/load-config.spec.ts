import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { yamlFile } from './testing/yaml-file.js';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('works on defaults with no file and no variables', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.ingest.clusterLabel, 'cluster');
    assert.equal(config.signals.stepSeconds, 15);
    assert.equal(config.signals.windowSeconds, 10800);
    assert.equal(config.analysis.headroom, 0.8);
    assert.equal(config.analysis.cacheTtlSeconds, 1200);
    assert.equal(config.databaseUrl, undefined);
  });

  it('reads the YAML file and lets environment variables override it', () => {
    const path = yamlFile('port: 9000\ningest:\n  clusterLabel: k8s_cluster\nsignals:\n  stepSeconds: 30\n');
    const config = loadConfig({ WAVEWATCH_CONFIG: path, PORT: '9100' });
    assert.equal(config.port, 9100);
    assert.equal(config.ingest.clusterLabel, 'k8s_cluster');
    assert.equal(config.signals.stepSeconds, 30);
  });

  it('keeps WAVEWATCH_GRAFANA_URL the dashboard link and takes the annotation API from its own variables', () => {
    const config = loadConfig({
      WAVEWATCH_GRAFANA_URL: 'https://grafana.example/d/wavewatch-rollout-health',
      WAVEWATCH_GRAFANA_API_URL: 'https://grafana.example/',
      WAVEWATCH_GRAFANA_TOKEN: 'glsa_x',
    });
    assert.equal(config.notify.grafanaUrl, 'https://grafana.example/d/wavewatch-rollout-health');
    assert.equal(config.notify.grafana?.url, 'https://grafana.example/');
    assert.equal(config.notify.grafana?.token, 'glsa_x');
    assert.deepEqual(config.notify.grafana?.tags, ['wavewatch']);
    assert.throws(() => loadConfig({ WAVEWATCH_GRAFANA_API_URL: 'https://grafana.example/' }), /notify\.grafana.*token or tokenFile/);
  });

  it('names the key of a bad value', () => {
    const path = yamlFile('signals:\n  stepSeconds: -5\n');
    assert.throws(() => loadConfig({ WAVEWATCH_CONFIG: path }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /signals\.stepSeconds/);
      return true;
    });
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT: expected a number/);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /logLevel/);
  });

  it('rejects a file that is not a YAML mapping, naming the file', () => {
    const path = yamlFile('- just\n- a list\n');
    assert.throws(() => loadConfig({ WAVEWATCH_CONFIG: path }), /must hold a mapping/);
    assert.throws(() => loadConfig({ WAVEWATCH_CONFIG: '/nonexistent/ww.yaml' }), /cannot read/);
  });

  it('turns the one-channel shortcuts into routes', () => {
    const config = loadConfig({ WAVEWATCH_SLACK_WEBHOOK_URL: 'http://127.0.0.1:1/hook' });
    assert.equal(config.notify.routes.length, 1);
    assert.equal(config.notify.routes[0]?.channel, 'slack');
    assert.equal(config.notify.routes[0]?.sendResolved, true);
  });

  it('reads auth tokens from the file, a tokenFile and WAVEWATCH_API_TOKENS', () => {
    const secretFile = yamlFile('from-a-file-0123456789\n');
    const path = yamlFile(`auth:\n  tokens:\n    - { name: ci, token: inline-token-0123456789, scopes: [metrics:write, events:write] }\n    - { name: file, tokenFile: ${secretFile}, scopes: [read] }\n`);
    const config = loadConfig({ WAVEWATCH_CONFIG: path, WAVEWATCH_API_TOKENS: 'env-token-one-0123456789, env-token-two-0123456789' });
    assert.deepEqual(
      config.auth.tokens.map((t) => [t.name, t.secret, t.scopes.join(' ')]),
      [
        ['ci', 'inline-token-0123456789', 'metrics:write events:write'],
        ['file', 'from-a-file-0123456789', 'read'],
        ['env-1', 'env-token-one-0123456789', 'metrics:write events:write read admin'],
        ['env-2', 'env-token-two-0123456789', 'metrics:write events:write read admin'],
      ],
    );
    assert.equal(config.auth.protectMetrics, false);
    assert.equal(config.auth.mode, 'tokens');
  });

  it('stops on a token it cannot use, naming the key', () => {
    const tokens = (entry: string): string => yamlFile(`auth:\n  tokens:\n    - ${entry}\n`);
    const cases: [string, RegExp][] = [
      ['{ name: a, tokenFile: /nonexistent/token, scopes: [read] }', /"auth\.tokens\.0\.tokenFile": cannot read \/nonexistent\/token/],
      [`{ name: a, tokenFile: ${yamlFile('\n')}, scopes: [read] }`, /"auth\.tokens\.0\.tokenFile": .* is empty/],
      ['{ name: a, scopes: [read] }', /"auth\.tokens\.0\.token": set exactly one of token and tokenFile/],
      [`{ name: a, token: inline-token-0123456789, tokenFile: ${yamlFile('x')}, scopes: [read] }`, /exactly one of token and tokenFile/],
      ['{ name: a, token: short, scopes: [read] }', /"auth\.tokens\.0\.token"/],
      ['{ name: a, token: inline-token-0123456789, scopes: [write] }', /"auth\.tokens\.0\.scopes\.0"/],
      ['{ name: anonymous, token: inline-token-0123456789, scopes: [read] }', /"auth\.tokens\.0\.name": "anonymous" is reserved/],
    ];
    for (const [entry, message] of cases) assert.throws(() => loadConfig({ WAVEWATCH_CONFIG: tokens(entry) }), message, entry);
    const twice = yamlFile('auth:\n  tokens:\n    - { name: a, token: first-token-0123456789, scopes: [read] }\n    - { name: a, token: other-token-0123456789, scopes: [read] }\n');
    assert.throws(() => loadConfig({ WAVEWATCH_CONFIG: twice }), /"auth\.tokens\.1\.name": duplicate token name "a"/);
    assert.throws(() => loadConfig({ WAVEWATCH_API_TOKENS: 'too-short' }), /WAVEWATCH_API_TOKENS: token 1 has fewer than 16 characters/);
    assert.throws(() => loadConfig({ WAVEWATCH_AUTH: 'none', WAVEWATCH_API_TOKENS: 'env-token-one-0123456789' }), /"auth\.mode": WAVEWATCH_AUTH=none/);
    assert.equal(loadConfig({ WAVEWATCH_AUTH: 'none' }).auth.mode, 'none');
  });
});
