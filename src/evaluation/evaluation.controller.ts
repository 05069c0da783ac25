import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { AnalysisEngine } from './analysis-engine.js';
import { EvaluationLoop } from './evaluation-loop.js';
import { Scope } from '../auth/scope.decorator.js';

export interface EvaluationStatus {
  watermark: string | null;
  evaluatedThrough: string | null;
  stepSeconds: number;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

// Where the analysis stands in event time. Replays and tests wait on it (POST .../catch-up)
// before reading alerts, instead of sleeping.
@Controller('api/v1/evaluation')
export class EvaluationController {
  constructor(
    private readonly engine: AnalysisEngine,
    private readonly loop: EvaluationLoop,
  ) {}

  @Get()
  @Scope('read')
  status(): EvaluationStatus {
    return { watermark: iso(this.engine.watermarkMs()), evaluatedThrough: iso(this.loop.evaluatedThroughMs()), stepSeconds: this.engine.stepMs / 1000 };
  }

  @Post('catch-up')
  @Scope('admin')
  @HttpCode(200)
  async catchUp(): Promise<EvaluationStatus> {
    await this.loop.catchUp();
    return this.status();
  }
}
