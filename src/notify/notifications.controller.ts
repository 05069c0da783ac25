import { Controller, Get, Query } from '@nestjs/common';
import { badRequest } from '../common/domain-error.js';
import { NotifyStore } from './storage/notify.store.js';
import { Scope } from '../auth/scope.decorator.js';

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// Delivery history: one entry per notification (alert transition × receiver) with its attempts.
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly store: NotifyStore) {}

  @Get()
  @Scope('read')
  async list(@Query('alertId') alertId?: unknown, @Query('limit') limitParam?: unknown): Promise<unknown[]> {
    if (alertId !== undefined && (typeof alertId !== 'string' || alertId.length === 0 || alertId.length > 64)) {
      throw badRequest('alertId must be a string of 1 to 64 characters');
    }
    const limit = limitParam === undefined ? 100 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit must be an integer from 1 to 1000');
    const entries = await this.store.list(alertId, limit);
    return entries.map(({ row, attempts }) => ({
      id: row.id,
      alertId: row.alert_id,
      fingerprint: row.fingerprint,
      kind: row.kind,
      channel: row.channel,
      route: row.route_key,
      status: row.status,
      attempts: num(row.attempts),
      httpStatus: num(row.last_http_status),
      error: str(row.last_error),
      createdAt: iso(row.created_at),
      deliveredAt: iso(row.delivered_at),
      attemptLog: attempts.map((a) => ({
        attempt: num(a.attempt),
        outcome: a.outcome,
        httpStatus: num(a.http_status),
        error: str(a.error),
        durationMs: num(a.duration_ms),
        at: iso(a.at),
      })),
    }));
  }
}
