import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { DEPLOY_EVENT_TYPES, type DeployEventType } from './rollout.types.js';
import { parseDeployEvents } from './parse-deploy-events.js';
import { readJsonBody } from './read-json-body.js';
import { RolloutsMetrics } from './rollouts.metrics.js';
import { RolloutsService, type RecordResult } from './rollouts.service.js';
import { Scope } from '../auth/scope.decorator.js';

@Controller('api/v1/deploy-events')
export class DeployEventsController {
  constructor(
    private readonly rollouts: RolloutsService,
    private readonly metrics: RolloutsMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Scope('events:write')
  @HttpCode(202)
  async post(@Req() req: Request): Promise<RecordResult> {
    let body: unknown;
    try {
      body = await readJsonBody(req, this.config.events.maxBodyBytes);
      const receivedAt = new Date();
      return await this.rollouts.record(parseDeployEvents(body, this.config.events, receivedAt.getTime()), receivedAt);
    } catch (error) {
      this.countRejected(body);
      throw error;
    }
  }

  private countRejected(body: unknown): void {
    const items = Array.isArray(body) ? body.slice(0, this.config.events.maxEventsPerRequest) : [body];
    for (const item of items) this.metrics.event(typeOf(item), 'rejected');
  }
}

function typeOf(item: unknown): DeployEventType | 'unknown' {
  const type = (item as { type?: unknown } | null)?.type;
  return DEPLOY_EVENT_TYPES.find((t) => t === type) ?? 'unknown';
}
