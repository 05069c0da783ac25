import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { AuthModule } from '../src/auth/auth.module.js';
import { RouteTable, type RouteEntry } from '../src/auth/route-table.js';
import { Scope } from '../src/auth/scope.decorator.js';
import { createApp } from '../src/app.factory.js';
import { DomainErrorFilter } from '../src/common/domain-error.filter.js';
import { ConfigModule } from '../src/config/config.module.js';
import type { AppConfig } from '../src/config/config.schema.js';
import { MetricsModule } from '../src/ops/metrics.module.js';
import { startApp, type RunningApp } from './support/start-app.js';
import { testConfig } from './support/test-config.js';

// Every route of the service declares what it needs; undeclared routes fail closed; ?token=
// works only where a route says so; protected mode refuses an open listener without tokens.

// Scopes of the routes that exist today. New routes need not be listed here, but they must
// declare a scope (first test).
const expected: Record<string, string> = {
  'POST /api/v1/write': 'metrics:write',
  'POST /api/v1/import/prometheus': 'metrics:write',
  'POST /api/v1/deploy-events': 'events:write',
  'GET /api/v1/rollouts': 'read',
  'GET /api/v1/rollouts/:id': 'read',
  'GET /api/v1/rollouts/:id/health': 'read',
  'GET /api/v1/rollouts/:id/gate': 'read',
  'POST /api/v1/rollouts/:id/health': 'read',
  'POST /api/v1/rollouts/:id/gate': 'read',
  'GET /api/v1/integrations/argo': 'events:write',
  'POST /api/v1/integrations/argo': 'events:write',
  'POST /api/v1/integrations/flagger/event': 'events:write',
  'POST /api/v1/integrations/flagger/confirm': 'events:write',
  'POST /api/v1/integrations/flagger/rollback': 'events:write',
  'POST /api/v1/integrations/github': 'events:write',
  'POST /api/v1/integrations/spinnaker': 'events:write',
  'GET /api/v1/alerts': 'read',
  'GET /api/v1/clusters': 'read',
  'GET /api/v1/clusters/:name/signals': 'read',
  'GET /api/v1/notifications': 'read',
  'GET /api/v1/evaluation': 'read',
  'POST /api/v1/evaluation/catch-up': 'admin',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'read',
};

const key = (r: RouteEntry): string => `${r.method} ${r.path}`;

@Controller('api/v1/probe')
class ProbeController {
  @Get('query')
  @Scope('read', { queryToken: true })
  query(): { ok: true } {
    return { ok: true };
  }

  @Get('undeclared')
  undeclaredGet(): { ok: true } {
    return { ok: true };
  }

  @Post('undeclared')
  undeclaredPost(): { ok: true } {
    return { ok: true };
  }
}

@Controller('elsewhere')
class ElsewhereController {
  @Get()
  get(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class ProbeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProbeModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, AuthModule],
      controllers: [ProbeController, ElsewhereController],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }
}

describe('the guard on routes with ?token= or without a declaration', () => {
  const reader = randomBytes(18).toString('base64url');
  const admin = randomBytes(18).toString('base64url');
  let app: INestApplication;
  let url: string;
  before(async () => {
    const config = testConfig({ WAVEWATCH_API_TOKENS: admin });
    config.auth.tokens.push({ name: 'reader', secret: reader, scopes: ['read'] });
    app = await NestFactory.create(ProbeModule.forRoot(config), { logger: false, bodyParser: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  after(async () => {
    await app.close();
  });

  const status = async (path: string, init: RequestInit = {}): Promise<number> => (await fetch(`${url}${path}`, init)).status;
  const as = (token: string, method = 'GET'): RequestInit => ({ method, headers: { Authorization: `Bearer ${token}` } });

  it('accepts ?token= where the route declares queryToken, and checks it like a header', async () => {
    assert.equal(await status(`/api/v1/probe/query?token=${reader}`), 200);
    assert.equal(await status(`/api/v1/probe/query?token=${randomBytes(18).toString('base64url')}`), 401);
    assert.equal(await status(`/api/v1/probe/query?token=${reader}&token=${reader}`), 401);
    assert.equal(await status('/api/v1/probe/query'), 401);
    // a header wins over the query
    assert.equal(await status(`/api/v1/probe/query?token=${reader}`, { headers: { Authorization: 'Bearer not-a-known-token-at-all' } }), 401);
  });

  it('fails closed without a declaration: GET under /api/v1 needs read, anything else admin', async () => {
    assert.equal(await status('/api/v1/probe/undeclared'), 401);
    assert.equal(await status('/api/v1/probe/undeclared', as(reader)), 200);
    assert.equal(await status('/api/v1/probe/undeclared', as(reader, 'POST')), 403);
    assert.equal(await status('/api/v1/probe/undeclared', as(admin, 'POST')), 201);
    assert.equal(await status('/elsewhere', as(reader)), 403);
    assert.equal(await status('/elsewhere', as(admin)), 200);
    assert.equal(await status(`/api/v1/probe/undeclared?token=${admin}`), 401);
  });

  it('the route table reports undeclared routes, so the service test above can fail', () => {
    const undeclared = app
      .get(RouteTable)
      .routes()
      .filter((r) => r.declared === undefined)
      .map((r) => [key(r), r.effective.scope]);
    assert.deepEqual(undeclared.sort(), [
      ['GET /api/v1/probe/undeclared', 'read'],
      ['GET /elsewhere', 'admin'],
      ['POST /api/v1/probe/undeclared', 'admin'],
    ]);
  });
});

describe('protected mode', () => {
  it('refuses to build the service for 0.0.0.0 without a token, naming auth.tokens and the escape hatch', async () => {
    await assert.rejects(createApp(testConfig({ HOST: '0.0.0.0' })), (error: Error) => {
      assert.match(error.message, /auth\.tokens/);
      assert.match(error.message, /WAVEWATCH_AUTH=none/);
      return true;
    });
  });

  it('the service process exits with that message before listening', () => {
    const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
    const env = { PATH: process.env.PATH ?? '', HOST: '0.0.0.0', PORT: '0', LOG_LEVEL: 'warn' };
    const run = spawnSync(process.execPath, [main], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /^wavewatch: protected mode: .*auth\.tokens.*WAVEWATCH_AUTH=none/m);
    assert.doesNotMatch(run.stdout, /listening/);
  });

  describe('the service with WAVEWATCH_AUTH=none for 0.0.0.0, and its route table', () => {
    let app: RunningApp;
    before(async () => {
      app = await startApp({ HOST: '0.0.0.0', WAVEWATCH_AUTH: 'none' });
    });
    after(async () => {
      await app.close();
    });

    it('starts for 0.0.0.0 and lets requests through', async () => {
      assert.equal(app.config.host, '0.0.0.0');
      assert.equal((await fetch(`${app.url}/api/v1/alerts`)).status, 200);
    });

    // the route table of the real service (whatever the auth mode)
    it('every controller route declares its scope (@Scope or @Public)', () => {
      const routes = app.app.get(RouteTable).routes();
      assert.ok(routes.length >= Object.keys(expected).length, `only ${routes.length} routes found`);
      const undeclared = routes.filter((r) => r.declared === undefined).map((r) => `${key(r)} (${r.controller}.${r.handler})`);
      assert.deepEqual(undeclared, [], 'routes without @Scope/@Public');
    });

    it('the existing routes need the scopes DESIGN §3 gives them', () => {
      const routes = new Map(app.app.get(RouteTable).routes().map((r) => [key(r), r]));
      for (const [route, scope] of Object.entries(expected)) {
        const found = routes.get(route);
        assert.ok(found, `${route} is missing`);
        assert.equal(found.declared?.scope, scope, route);
        // only Flagger's routes take ?token= (Flagger cannot send headers)
        assert.equal(found.declared?.queryToken, route.startsWith('POST /api/v1/integrations/flagger/'), `${route}: ?token=`);
      }
      // open by default, read when auth.protectMetrics
      assert.equal(routes.get('GET /metrics')?.effective.scope, 'public');
    });
  });
});
