import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { NotifyModule } from '../notify/notify.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { SignalsModule } from '../signals/signals.module.js';
import { AnalysisEngine } from './analysis-engine.js';
import { DerivedMetrics } from './derived-metrics.js';
import { EvaluationController } from './evaluation.controller.js';
import { EvaluationLoop } from './evaluation-loop.js';
import { RolloutHealthService } from './rollout-health.service.js';

@Module({
  imports: [SignalsModule, RolloutsModule, AlertsModule, NotifyModule],
  controllers: [EvaluationController],
  providers: [AnalysisEngine, DerivedMetrics, EvaluationLoop, RolloutHealthService],
  exports: [AnalysisEngine, EvaluationLoop, RolloutHealthService],
})
export class EvaluationModule {}
