import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Scope } from '../../auth/scope.decorator.js';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { IntegrationRecorder, type IntegrationAnswer } from './integration-recorder.js';
import { readToolBody } from './lenient-body.js';
import { mapSpinnakerEvent } from './spinnaker.mapping.js';

@Controller('api/v1/integrations/spinnaker')
export class SpinnakerController {
  constructor(
    private readonly recorder: IntegrationRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @Scope('events:write')
  event(@Req() req: Request): Promise<IntegrationAnswer> {
    return this.recorder.handle('spinnaker', async () => {
      const body = await readToolBody(req, this.config.integrations.maxBodyBytes);
      return mapSpinnakerEvent(body, this.config.integrations.spinnaker);
    });
  }
}
