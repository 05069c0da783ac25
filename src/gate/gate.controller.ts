import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { notFound } from '../common/domain-error.js';
import { AnalysisEngine } from '../evaluation/analysis-engine.js';
import { RolloutHealthService } from '../evaluation/rollout-health.service.js';
import { RolloutsService } from '../rollouts/rollouts.service.js';
import { toHealthView, type RolloutHealthView } from './rollout-health.view.js';
import { Scope } from '../auth/scope.decorator.js';

// Deploy tooling asks "may the next wave go?". /health always answers 200 with the verdict;
// /gate answers 200 only for proceed and 409 for hold or rollback, so `curl --fail`, Flagger
// webhooks and Argo Rollouts' web provider work unchanged.
@Controller('api/v1/rollouts')
export class GateController {
  constructor(
    private readonly engine: AnalysisEngine,
    private readonly rollouts: RolloutsService,
    private readonly healthOf: RolloutHealthService,
  ) {}

  @Get(':id/health')
  @Scope('read')
  health(@Param('id') id: string): RolloutHealthView {
    return this.evaluate(id);
  }

  @Get(':id/gate')
  @Scope('read')
  gate(@Param('id') id: string, @Res({ passthrough: true }) res: Response): RolloutHealthView {
    const view = this.evaluate(id);
    res.status(view.verdict === 'proceed' ? HttpStatus.OK : HttpStatus.CONFLICT);
    return view;
  }

  private evaluate(id: string): RolloutHealthView {
    const rollout = this.rollouts.get(id);
    if (!rollout) throw notFound(`rollout "${id}" is unknown`);
    const answer = this.healthOf.of(rollout);
    if (answer) return toHealthView(answer.health, answer.dataAsOfMs);
    // Nothing evaluated yet: fail closed.
    const evaluatedAt = this.engine.watermarkMs() ?? rollout.updatedAtMs;
    return {
      rolloutId: id,
      verdict: 'hold',
      evaluatedAt: new Date(evaluatedAt).toISOString(),
      reasons: [
        {
          code: 'no_data',
          severity: 'warning',
          wave: null,
          cluster: null,
          signal: null,
          observed: null,
          baseline: null,
          message: 'no telemetry has been evaluated for this rollout yet; holding until its clusters report',
        },
      ],
      nextWave: null,
      dns: [],
      dataAsOf: null,
    };
  }
}
