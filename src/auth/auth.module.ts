import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { ApiTokens, grants } from './api-tokens.js';
import { AuthGuard } from './auth.guard.js';
import { ANONYMOUS, HttpRequestMetrics, INVALID } from './http-request.metrics.js';
import { RequestAuthorizer } from './request-authorizer.js';
import { RouteTable } from './route-table.js';

@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: ApiTokens, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new ApiTokens(config.auth.tokens) },
    { provide: HttpRequestMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new HttpRequestMetrics(registry) },
    RouteTable,
    RequestAuthorizer,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [RouteTable, RequestAuthorizer],
})
export class AuthModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('auth');

  constructor(
    private readonly tokens: ApiTokens,
    private readonly metrics: HttpRequestMetrics,
    private readonly routes: RouteTable,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.auth.mode === 'none') {
      this.logger.warn('authentication is off (WAVEWATCH_AUTH=none): every route is open to whoever reaches the port');
    } else if (this.tokens.size === 0) {
      this.logger.log('no auth.tokens configured: every request is allowed, which protected mode permits on loopback only');
    } else {
      this.logger.log(`authentication on: ${this.tokens.size} token(s): ${this.tokens.all().map((t) => t.name).join(', ')}`);
      this.initialiseRefusals();
    }
  }

  // Zero series for every refusal a route can give, so rate() and alerts see the first one.
  private initialiseRefusals(): void {
    for (const route of this.routes.routes()) {
      const scope = route.effective.scope;
      if (scope === 'public') continue;
      this.metrics.initialise(route.path, ANONYMOUS, 401);
      this.metrics.initialise(route.path, INVALID, 401);
      for (const token of this.tokens.all()) if (!grants(token, scope)) this.metrics.initialise(route.path, token.name, 403);
    }
  }
}
