import { Controller, Get, Param, Query } from '@nestjs/common';
import { badRequest, notFound } from '../common/domain-error.js';
import { toRolloutView, type RolloutView } from './rollout-view.js';
import type { RolloutStatus } from './rollout.types.js';
import { RolloutsService } from './rollouts.service.js';
import { Scope } from '../auth/scope.decorator.js';

const statuses: readonly RolloutStatus[] = ['in_progress', 'completed', 'aborted', 'rolled_back'];

@Controller('api/v1/rollouts')
export class RolloutsController {
  constructor(private readonly rollouts: RolloutsService) {}

  @Get()
  @Scope('read')
  list(@Query('status') status?: string): RolloutView[] {
    if (status !== undefined && !statuses.includes(status as RolloutStatus)) {
      throw badRequest(`status: expected one of ${statuses.join('|')}`);
    }
    return this.rollouts
      .all()
      .filter((r) => status === undefined || r.status === status)
      .map(toRolloutView);
  }

  @Get(':id')
  @Scope('read')
  get(@Param('id') id: string): RolloutView {
    const state = this.rollouts.get(id);
    if (!state) throw notFound(`rollout ${id} not found`);
    return toRolloutView(state);
  }
}
