import { Module } from '@nestjs/common';
import { EvaluationModule } from '../evaluation/evaluation.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { GateController } from './gate.controller.js';

@Module({ imports: [EvaluationModule, RolloutsModule], controllers: [GateController] })
export class GateModule {}
