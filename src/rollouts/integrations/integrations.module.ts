import { Module } from '@nestjs/common';
import { GateModule } from '../../gate/gate.module.js';
import { RolloutsModule } from '../rollouts.module.js';
import { ArgoController } from './argo.controller.js';
import { FlaggerController } from './flagger.controller.js';
import { GithubController } from './github.controller.js';
import { IntegrationRecorder } from './integration-recorder.js';
import { IntegrationsMetrics } from './integrations.metrics.js';
import { SpinnakerController } from './spinnaker.controller.js';

// Native deploy-tool payloads in (DESIGN §3 "no glue"): one thin controller per tool over a
// pure mapping function, all recording through IntegrationRecorder.
@Module({
  imports: [RolloutsModule, GateModule],
  controllers: [ArgoController, FlaggerController, GithubController, SpinnakerController],
  providers: [IntegrationRecorder, IntegrationsMetrics],
})
export class IntegrationsModule {}
