import { Controller, Get, Query } from '@nestjs/common';
import { badRequest } from '../common/domain-error.js';
import type { AlertView } from './alert.types.js';
import { AlertsService } from './alerts.service.js';
import { Scope } from '../auth/scope.decorator.js';

const STATES = ['firing', 'resolved', 'all'] as const;
const MAX_LIMIT = 10_000;

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  // Default state is "all": a pipeline asking "what happened during my rollout" wants both.
  @Get()
  @Scope('read')
  list(
    @Query('state') state?: string,
    @Query('rolloutId') rolloutId?: string,
    @Query('limit') limit?: string,
  ): Promise<AlertView[]> {
    const s = state ?? 'all';
    if (!(STATES as readonly string[]).includes(s)) throw badRequest(`state: expected one of ${STATES.join('|')}, got "${s}"`);
    const n = limit === undefined ? 1000 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw badRequest(`limit: expected an integer from 1 to ${MAX_LIMIT}`);
    if (rolloutId !== undefined && (rolloutId.length === 0 || rolloutId.length > 256)) throw badRequest('rolloutId: expected 1 to 256 characters');
    return this.alerts.list({ state: s as (typeof STATES)[number], rolloutId, limit: n });
  }
}
