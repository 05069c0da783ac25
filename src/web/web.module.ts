import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { EvaluationModule } from '../evaluation/evaluation.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { SignalsModule } from '../signals/signals.module.js';
import { RolloutGauges } from './rollout-gauges.js';
import { RolloutHistory } from './rollout-history.js';
import { RolloutPageController } from './rollout-page.controller.js';
import { RolloutTimelineService } from './rollout-timeline.service.js';

@Module({
  imports: [SignalsModule, RolloutsModule, AlertsModule, EvaluationModule],
  controllers: [RolloutPageController],
  providers: [RolloutHistory, RolloutGauges, RolloutTimelineService],
  exports: [RolloutHistory, RolloutTimelineService],
})
export class WebModule {}
