import { Module } from '@nestjs/common';
import { DeployEventRepository } from './deploy-event.repository.js';
import { DeployEventsController } from './deploy-events.controller.js';
import { RolloutsController } from './rollouts.controller.js';
import { RolloutsMetrics } from './rollouts.metrics.js';
import { RolloutsService } from './rollouts.service.js';

@Module({
  controllers: [DeployEventsController, RolloutsController],
  providers: [DeployEventRepository, RolloutsMetrics, RolloutsService],
  exports: [RolloutsService, RolloutsMetrics],
})
export class RolloutsModule {}
