import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fetchAlerts } from '../scenarios/replay-runner.js';
import { WWW_AUTHENTICATE } from '../src/auth/request-authorizer.js';
import { startApp, type RunningApp } from './support/start-app.js';

// The real service with tokens configured: every route class against every scope, the three
// ways to send a token, refusals, the request counter and the clients that carry a token.

const secret = (): string => randomBytes(18).toString('base64url');
const tokens = { admin: secret(), reader: secret(), writer: secret(), events: secret(), env: secret() };
type Who = keyof typeof tokens | 'nobody';

function configFile(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'ww-auth-'));
  const tokenFile = join(dir, 'writer-token');
  writeFileSync(tokenFile, `${tokens.writer}\n`); // as `kubectl create secret --from-file` leaves it
  const path = join(dir, 'wavewatch.yaml');
  writeFileSync(
    path,
    [
      'auth:',
      '  tokens:',
      `    - { name: admin, token: "${tokens.admin}", scopes: [admin] }`,
      `    - { name: reader, token: "${tokens.reader}", scopes: [read] }`,
      `    - { name: metrics-writer, tokenFile: "${tokenFile}", scopes: [metrics:write] }`,
      `    - { name: deployer, token: "${tokens.events}", scopes: [events:write] }`,
      extra,
    ].join('\n'),
  );
  return path;
}

const bearer = (who: Who): Record<string, string> => (who === 'nobody' ? {} : { Authorization: `Bearer ${tokens[who]}` });

interface Probe {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

async function call(app: RunningApp, probe: Probe, auth: Record<string, string>): Promise<Response> {
  return fetch(`${app.url}${probe.path}`, { method: probe.method, headers: { ...probe.headers, ...auth }, body: probe.body });
}

const t0 = Date.UTC(2024, 11, 11, 20, 0, 0);
const routeClasses: { scope: 'metrics:write' | 'events:write' | 'read' | 'admin'; probes: Probe[] }[] = [
  {
    scope: 'metrics:write',
    probes: [
      { method: 'POST', path: '/api/v1/write', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' }, body: '' },
      { method: 'POST', path: '/api/v1/import/prometheus?cluster=auth-a', headers: { 'Content-Type': 'text/plain' }, body: `up 1 ${t0}\n` },
    ],
  },
  { scope: 'events:write', probes: [{ method: 'POST', path: '/api/v1/deploy-events', headers: { 'Content-Type': 'application/json' }, body: '{}' }] },
  {
    scope: 'read',
    probes: [
      '/api/v1/rollouts',
      '/api/v1/rollouts/r-1',
      '/api/v1/rollouts/r-1/health',
      '/api/v1/rollouts/r-1/gate',
      '/api/v1/alerts',
      '/api/v1/clusters',
      '/api/v1/clusters/auth-a/signals',
      '/api/v1/notifications',
      '/api/v1/evaluation',
    ].map((path) => ({ method: 'GET' as const, path })),
  },
  { scope: 'admin', probes: [{ method: 'POST', path: '/api/v1/evaluation/catch-up' }] },
];

const scopesOf: Record<Who, readonly string[]> = {
  admin: ['admin'],
  reader: ['read'],
  writer: ['metrics:write'],
  events: ['events:write'],
  env: ['admin'],
  nobody: [],
};

describe('authentication with tokens configured', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp({ WAVEWATCH_CONFIG: configFile(), WAVEWATCH_API_TOKENS: tokens.env });
  });
  after(async () => {
    await app.close();
  });

  for (const routeClass of routeClasses) {
    it(`${routeClass.scope} routes: 401 without a token, 403 without the scope, through with it or admin`, async () => {
      for (const probe of routeClass.probes) {
        for (const who of Object.keys(scopesOf) as Who[]) {
          const res = await call(app, probe, bearer(who));
          const body = await res.text();
          const where = `${who} → ${probe.method} ${probe.path}: ${res.status} ${body}`;
          const granted = scopesOf[who].includes(routeClass.scope) || scopesOf[who].includes('admin');
          if (who === 'nobody') assert.equal(res.status, 401, where);
          else if (granted) assert.ok(res.status !== 401 && res.status !== 403, where);
          else assert.equal(res.status, 403, where);
        }
      }
    });
  }

  it('health probes are open; /metrics is open by default', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${app.url}${path}`);
      assert.equal(res.status, 200, `${path}: ${await res.text()}`);
    }
  });

  it('401 carries both challenges and a one-line JSON error', async () => {
    const res = await fetch(`${app.url}/api/v1/alerts`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="wavewatch", Basic realm="wavewatch"');
    assert.equal(WWW_AUTHENTICATE, res.headers.get('www-authenticate'));
    const body = (await res.json()) as { error: string; message: string };
    assert.equal(body.error, 'unauthorized');
    assert.match(body.message, /^missing token: send "Authorization: Bearer <token>"/);
    assert.doesNotMatch(body.message, /\n/);

    const unknown = await fetch(`${app.url}/api/v1/alerts`, { headers: { Authorization: `Bearer ${secret()}` } });
    assert.equal(unknown.status, 401);
    assert.equal(((await unknown.json()) as { message: string }).message, 'unknown token');
    // a prefix of a real token is just as unknown
    assert.equal((await fetch(`${app.url}/api/v1/alerts`, { headers: { Authorization: `Bearer ${tokens.reader.slice(0, -1)}` } })).status, 401);

    const malformed = await fetch(`${app.url}/api/v1/alerts`, { headers: { Authorization: 'Token abc' } });
    assert.equal(malformed.status, 401);
    assert.match(((await malformed.json()) as { message: string }).message, /malformed Authorization header/);
  });

  it('403 names the missing scope, not the secret', async () => {
    const res = await fetch(`${app.url}/api/v1/deploy-events`, { method: 'POST', headers: bearer('reader'), body: '{}' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('www-authenticate'), null);
    const body = (await res.json()) as { error: string; message: string };
    assert.deepEqual(body, { error: 'forbidden', message: 'token "reader" lacks the "events:write" scope' });
  });

  it('accepts the token as the HTTP Basic password with any user name, and Bearer in any case', async () => {
    const basic = (user: string, password: string): Record<string, string> => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    assert.equal((await fetch(`${app.url}/api/v1/alerts`, { headers: basic('prometheus', tokens.reader) })).status, 200);
    assert.equal((await fetch(`${app.url}/api/v1/alerts`, { headers: basic('', tokens.reader) })).status, 200);
    assert.equal((await fetch(`${app.url}/api/v1/alerts`, { headers: basic('reader', 'wrong-password-123456') })).status, 401);
    assert.equal((await fetch(`${app.url}/api/v1/alerts`, { headers: { Authorization: `bearer ${tokens.reader}` } })).status, 200);
  });

  it('refuses ?token= on routes that do not declare it, saying so', async () => {
    const res = await fetch(`${app.url}/api/v1/alerts?token=${tokens.admin}`);
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { message: string }).message, /\?token= is not accepted on this route/);
  });

  it('reads tokenFile (trailing newline ignored) and gives WAVEWATCH_API_TOKENS every scope', async () => {
    const text = await fetch(`${app.url}/api/v1/import/prometheus?cluster=auth-file`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', ...bearer('writer') },
      body: `up 1 ${t0}\n`,
    });
    assert.equal(text.status, 204, await text.text());
    assert.deepEqual(
      app.config.auth.tokens.map((t) => [t.name, t.scopes]),
      [
        ['admin', ['admin']],
        ['reader', ['read']],
        ['metrics-writer', ['metrics:write']],
        ['deployer', ['events:write']],
        ['env-1', ['metrics:write', 'events:write', 'read', 'admin']],
      ],
    );
  });

  it('refuses before reading the body: a 401 arrives while a 10 MiB upload has barely started', async () => {
    const url = new URL(`${app.url}/api/v1/write`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'Content-Length': 10 * 1024 * 1024 } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.write(Buffer.alloc(64 * 1024)); // the other 10 MiB never come
    });
    assert.equal(status, 401);
  });

  it('counts requests by route template and token name, never by URL or secret', async () => {
    await fetch(`${app.url}/api/v1/rollouts/some-rollout-id/health`, { headers: bearer('reader') });
    await fetch(`${app.url}/api/v1/rollouts/other-id/health`, { headers: { Authorization: `Bearer ${secret()}` } });
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const value = (labels: string): number => Number(new RegExp(`^wavewatch_http_requests_total\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    assert.ok(value('route="/api/v1/rollouts/:id/health",token="reader",status="404"') >= 1, text);
    assert.ok(value('route="/api/v1/rollouts/:id/health",token="invalid",status="401"') >= 1);
    assert.ok(value('route="/api/v1/alerts",token="anonymous",status="401"') >= 1);
    assert.ok(value('route="/healthz",token="anonymous",status="200"') >= 1);
    assert.doesNotMatch(text, /some-rollout-id|other-id/);
    for (const t of Object.values(tokens)) assert.ok(!text.includes(t), 'a secret appears on /metrics');
  });

  it('the replay client sends its token as Bearer (catch-up needs admin)', async () => {
    assert.ok(Array.isArray(await fetchAlerts(app.url, tokens.admin)));
    await assert.rejects(fetchAlerts(app.url, tokens.reader), /catch-up answered 403 \(the token needs the admin scope\)/);
    await assert.rejects(fetchAlerts(app.url), /catch-up answered 401/);
  });
});

describe('auth.protectMetrics', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp({ WAVEWATCH_CONFIG: configFile('  protectMetrics: true') });
  });
  after(async () => {
    await app.close();
  });

  it('puts /metrics behind the read scope and leaves the probes open', async () => {
    assert.equal((await fetch(`${app.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${app.url}/metrics`, { headers: bearer('writer') })).status, 403);
    const res = await fetch(`${app.url}/metrics`, { headers: bearer('reader') });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /wavewatch_http_requests_total\{route="\/metrics",token="anonymous",status="401"\} 1/);
    // refusals a route can give start at zero, so the first one is a visible increase
    assert.match(text, /wavewatch_http_requests_total\{route="\/api\/v1\/deploy-events",token="reader",status="403"\} 0/);
    assert.match(text, /wavewatch_http_requests_total\{route="\/api\/v1\/evaluation\/catch-up",token="invalid",status="401"\} 0/);
    assert.doesNotMatch(text, /route="\/healthz",token="\w+",status="401"/);
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${app.url}/readyz`)).status, 200);
  });
});

describe('no token configured on loopback', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp();
  });
  after(async () => {
    await app.close();
  });

  it('lets every request through (protected mode keeps this to loopback)', async () => {
    assert.equal((await fetch(`${app.url}/api/v1/alerts`)).status, 200);
    assert.equal((await fetch(`${app.url}/api/v1/evaluation/catch-up`, { method: 'POST' })).status, 200);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    assert.match(text, /wavewatch_http_requests_total\{route="\/api\/v1\/alerts",token="anonymous",status="200"\} 1/);
  });
});
