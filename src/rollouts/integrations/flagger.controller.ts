import { Controller, HttpCode, HttpStatus, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Scope } from '../../auth/scope.decorator.js';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { GateController } from '../../gate/gate.controller.js';
import type { RolloutHealthView } from '../../gate/rollout-health.view.js';
import { flaggerPayload, flaggerRolloutId, mapFlaggerEvent } from './flagger.mapping.js';
import { IntegrationRecorder, type IntegrationAnswer } from './integration-recorder.js';
import { readToolBody } from './lenient-body.js';

// Flagger counts a status <= 202 as success. Confirm hooks (confirm-rollout,
// confirm-promotion) halt and retry on anything else, so they get 200 only on proceed; the
// rollback hook rolls the canary back on success, so it gets 200 only on rollback.
@Controller('api/v1/integrations/flagger')
export class FlaggerController {
  constructor(
    private readonly recorder: IntegrationRecorder,
    private readonly gate: GateController,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('event')
  @HttpCode(202)
  @Scope('events:write', { queryToken: true })
  event(@Req() req: Request, @Query('cluster') cluster?: string, @Query('wave') wave?: string): Promise<IntegrationAnswer> {
    return this.recorder.handle('flagger', async () => {
      const body = await readToolBody(req, this.config.integrations.maxBodyBytes);
      return mapFlaggerEvent(flaggerPayload(body), { cluster, wave }, this.config.integrations.flagger);
    });
  }

  @Post('confirm')
  @Scope('events:write', { queryToken: true })
  confirm(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<RolloutHealthView> {
    return this.answer(req, res, 'proceed');
  }

  @Post('rollback')
  @Scope('events:write', { queryToken: true })
  rollback(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<RolloutHealthView> {
    return this.answer(req, res, 'rollback');
  }

  private async answer(req: Request, res: Response, success: 'proceed' | 'rollback'): Promise<RolloutHealthView> {
    const body = await readToolBody(req, this.config.integrations.maxBodyBytes);
    const view = this.gate.verdictOf(flaggerRolloutId(flaggerPayload(body), this.config.integrations.flagger));
    res.status(view.verdict === success ? HttpStatus.OK : HttpStatus.CONFLICT);
    return view;
  }
}
