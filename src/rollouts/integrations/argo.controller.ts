import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Scope } from '../../auth/scope.decorator.js';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { mapArgoNotification } from './argo.mapping.js';
import { IntegrationRecorder, type IntegrationAnswer } from './integration-recorder.js';
import { readToolBody } from './lenient-body.js';

// notifications-engine's webhook service sends GET unless the template sets a method, and no
// Content-Type unless the service sets a header: both are accepted.
@Controller('api/v1/integrations/argo')
export class ArgoController {
  constructor(
    private readonly recorder: IntegrationRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @HttpCode(202)
  @Scope('events:write')
  notifyGet(@Req() req: Request): Promise<IntegrationAnswer> {
    return this.notify(req);
  }

  @Post()
  @HttpCode(202)
  @Scope('events:write')
  notify(@Req() req: Request): Promise<IntegrationAnswer> {
    return this.recorder.handle('argo', async () => {
      const body = await readToolBody(req, this.config.integrations.maxBodyBytes);
      return mapArgoNotification(body, this.config.integrations.argo);
    });
  }
}
