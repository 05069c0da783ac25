import { Injectable } from '@nestjs/common';
import { OPEN_STATUSES, NotifyStore, type OutboxRow } from '../storage/notify.store.js';
import type { AnnotationPayload } from './grafana-annotation.js';
import { GrafanaAnnotations } from './grafana-annotations.service.js';

export type Extended = { kind: 'wait' } | { kind: 'patch'; id: string } | { kind: 'post' };

const join = (base: string, path: string): string => new URL(path, base.endsWith('/') ? base : `${base}/`).toString();

// How an annotation row goes to Grafana: POST /api/annotations, or, for a row that ends a
// region (alert resolved, wave completed), PATCH /api/annotations/:id of the annotation that
// started it once that one was created; if it never was, the region is POSTed whole.
@Injectable()
export class AnnotationSender {
  constructor(
    private readonly store: NotifyStore,
    private readonly grafana: GrafanaAnnotations,
  ) {}

  async extended(row: OutboxRow): Promise<Extended> {
    const key = (row.payload as AnnotationPayload).extends;
    if (!key) return { kind: 'post' };
    const start = await this.store.byDedupKey(key);
    if (start && OPEN_STATUSES.includes(start.status)) return { kind: 'wait' };
    return start?.status === 'delivered' && start.externalId ? { kind: 'patch', id: start.externalId } : { kind: 'post' };
  }

  async request(row: OutboxRow): Promise<{ url: string; body: unknown; options: { method: 'POST' | 'PATCH'; headers: Record<string, string> } }> {
    const target = this.grafana.target;
    if (!target) throw new Error('grafana is not configured');
    const payload = row.payload as AnnotationPayload;
    const how = await this.extended(row);
    if (how.kind === 'patch') {
      const { dashboardUID: _uid, ...patch } = payload.body;
      return { url: join(target.url, `api/annotations/${encodeURIComponent(how.id)}`), body: patch, options: { method: 'PATCH', headers: target.headers } };
    }
    return { url: join(target.url, 'api/annotations'), body: payload.body, options: { method: 'POST', headers: target.headers } };
  }
}
