import { Module } from '@nestjs/common';
import { EvaluationModule } from '../evaluation/evaluation.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { GateController } from './gate.controller.js';
import { WebModule } from '../web/web.module.js';

// The controller is also a provider so that Flagger's confirm and rollback hooks answer from
// exactly the verdict /gate answers.
@Module({ imports: [EvaluationModule, RolloutsModule, WebModule], controllers: [GateController], providers: [GateController], exports: [GateController] })
export class GateModule {}
