import { Controller, Get, HttpStatus, Param, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { notFound } from '../common/domain-error.js';
import { AnalysisEngine } from '../evaluation/analysis-engine.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
import { noDataHealthView, toHealthView, type RolloutHealthView } from './rollout-health.view.js';
import { RolloutLinksInterceptor } from '../web/rollout-links.interceptor.js';

// Deploy tooling asks "may the next wave go?". /health always answers 200 with the verdict;
// /gate answers 200 only for proceed and 409 for hold or rollback, so `curl --fail`, Flagger
// webhooks and Argo Rollouts' web provider work unchanged.
@Controller('api/v1/rollouts')
@UseInterceptors(RolloutLinksInterceptor)
export class GateController {
  constructor(
    private readonly engine: AnalysisEngine,
    private readonly rollouts: RolloutsService,
  ) {}

  @Get(':id/health')
  health(@Param('id') id: string): RolloutHealthView {
    return this.evaluate(id);
  }

  @Get(':id/gate')
  gate(@Param('id') id: string, @Res({ passthrough: true }) res: Response): RolloutHealthView {
    const view = this.evaluate(id);
    res.status(view.verdict === 'proceed' ? HttpStatus.OK : HttpStatus.CONFLICT);
    return view;
  }

  private evaluate(id: string): RolloutHealthView {
    const rollout = this.rollouts.get(id);
    if (!rollout) throw notFound(`rollout "${id}" is unknown`);
    const result = this.engine.current();
    const health = result?.rollouts.find((r) => r.rolloutId === id);
    if (health) return toHealthView(health);
    // No telemetry at all yet (or the rollout started after the newest sample): fail closed.
    return noDataHealthView(id, result?.evaluatedAt ?? this.engine.watermarkMs() ?? rollout.updatedAtMs);
  }
}
