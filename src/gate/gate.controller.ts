import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RolloutHealthService } from '../evaluation/rollout-health.service.js';
import { Scope } from '../auth/scope.decorator.js';
import { notFound } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { AnalysisEngine } from '../evaluation/analysis-engine.js';
import { readRawBody } from '../rollouts/read-json-body.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
import { gateStatus, isWait, withDeployFailures } from './gate-answer.js';
import { noDataHealthView, toHealthView, type RolloutHealthView } from './rollout-health.view.js';
import { RolloutLinksInterceptor } from '../web/rollout-links.interceptor.js';

// Deploy tooling asks "may the next wave go?". /health always answers 200 with the verdict;
// /gate answers 200 only for proceed and 409 for hold or rollback (?wait=true: hold is 503 +
// Retry-After). Both take GET and POST: Flagger and Spinnaker POST a body of their own, which
// is read up to integrations.maxBodyBytes whatever its content type and then ignored.
@Controller('api/v1/rollouts')
@UseInterceptors(RolloutLinksInterceptor)
export class GateController {
  constructor(
    private readonly engine: AnalysisEngine,
    private readonly rollouts: RolloutsService,
    private readonly healthOf: RolloutHealthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Nest keeps one route per handler, hence a GET and a POST handler for each path.
  @Get(':id/health')
  @Scope('read')
  health(@Param('id') id: string): RolloutHealthView {
    return this.verdictOf(id);
  }

  @Post(':id/health')
  @HttpCode(200)
  @Scope('read')
  async healthPost(@Param('id') id: string, @Req() req: Request): Promise<RolloutHealthView> {
    await this.ignoreBody(req);
    return this.verdictOf(id);
  }

  @Get(':id/gate')
  @Scope('read')
  gate(@Param('id') id: string, @Query('wait') wait: unknown, @Res({ passthrough: true }) res: Response): RolloutHealthView {
    return this.answerGate(id, wait, res);
  }

  @Post(':id/gate')
  @Scope('read')
  async gatePost(@Param('id') id: string, @Query('wait') wait: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<RolloutHealthView> {
    await this.ignoreBody(req);
    return this.answerGate(id, wait, res);
  }

  private answerGate(id: string, wait: unknown, res: Response): RolloutHealthView {
    const view = this.verdictOf(id);
    const answer = gateStatus(view.verdict, isWait(wait), this.config.signals.stepSeconds);
    if (answer.retryAfterSeconds !== null) res.setHeader('Retry-After', String(answer.retryAfterSeconds));
    res.status(answer.status);
    return view;
  }

  /** The gate's answer for one rollout: the evaluation plus what the deploy tools reported (Flagger hooks use it too). */
  verdictOf(id: string): RolloutHealthView {
    const view = this.evaluate(id);
    const rollout = this.rollouts.get(id);
    return rollout ? withDeployFailures(view, rollout) : view;
  }

  private async ignoreBody(req: Request): Promise<void> {
    await readRawBody(req, this.config.integrations.maxBodyBytes);
  }

  private evaluate(id: string): RolloutHealthView {
    const rollout = this.rollouts.get(id);
    if (!rollout) throw notFound(`rollout "${id}" is unknown`);
    const answer = this.healthOf.of(rollout);
    if (answer) return toHealthView(answer.health, answer.dataAsOfMs);
    // Nothing evaluated yet: fail closed.
    return noDataHealthView(id, this.engine.watermarkMs() ?? rollout.updatedAtMs);
  }
}
