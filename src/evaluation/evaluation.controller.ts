import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { AnalysisEngine } from './analysis-engine.js';
import { EvaluationLoop } from './evaluation-loop.js';
import { Scope } from '../auth/scope.decorator.js';
import { ReplicaCoordinator } from '../replicas/replica-coordinator.js';

export interface EvaluationStatus {
  watermark: string | null;
  evaluatedThrough: string | null;
  stepSeconds: number;
  /** this process among the replicas on its database */
  replica: { id: string; role: 'leader' | 'follower'; leader: string | null; publishedAt: string | null };
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

// Where the analysis stands in event time. Replays and tests wait on it (POST .../catch-up)
// before reading alerts, instead of sleeping.
@Controller('api/v1/evaluation')
export class EvaluationController {
  constructor(
    private readonly engine: AnalysisEngine,
    private readonly loop: EvaluationLoop,
    private readonly replicas: ReplicaCoordinator,
  ) {}

  @Get()
  @Scope('read')
  status(): EvaluationStatus {
    const published = this.loop.follower()?.published;
    return {
      watermark: iso(this.engine.watermarkMs()),
      evaluatedThrough: iso(this.loop.evaluatedThroughMs()),
      stepSeconds: this.engine.stepMs / 1000,
      replica: {
        id: this.replicas.id,
        role: this.replicas.isLeader() ? 'leader' : 'follower',
        leader: this.replicas.isLeader() ? this.replicas.id : (published?.leader ?? null),
        publishedAt: iso(published?.writtenAtMs),
      },
    };
  }

  @Post('catch-up')
  @Scope('admin')
  @HttpCode(200)
  async catchUp(): Promise<EvaluationStatus> {
    await this.loop.catchUp();
    return this.status();
  }
}
