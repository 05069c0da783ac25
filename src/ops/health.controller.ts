import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { Response } from 'express';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { pingRedis } from './redis-ping.js';
import { Public } from '../auth/scope.decorator.js';

// /healthz: the process serves HTTP (liveness; restarts help only when this fails).
// /readyz: every dependency answers within its timeout; 503 names the ones that did not.
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('healthz')
  @Public()
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  async readyz(@Res() res: Response): Promise<void> {
    const timeout = this.config.ops.readinessTimeoutMs;
    const checks: HealthIndicatorFunction[] = [this.database.pingCheck('database').withTimeout(timeout)];
    const redisUrl = this.config.redisUrl;
    if (redisUrl) {
      checks.push(this.indicators.check('redis').attempt(({ signal }) => pingRedis(redisUrl, signal)).withTimeout(timeout));
    }
    res.setHeader('Cache-Control', 'no-store');
    try {
      res.status(200).json(await this.health.check(checks));
    } catch (error) {
      // terminus reports the failed dependencies in the exception body; keep that body
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503).json(error.getResponse());
    }
  }
}
