import { Module } from '@nestjs/common';
import { EvaluationModule } from '../evaluation/evaluation.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { GateController } from './gate.controller.js';
import { WebModule } from '../web/web.module.js';

@Module({ imports: [EvaluationModule, RolloutsModule, WebModule], controllers: [GateController] })
export class GateModule {}
