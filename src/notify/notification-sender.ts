import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type { AlertView } from '../alerts/alert.types.js';
import { alertLinks } from './channels/alert-links.js';
import { renderGroupRequest, renderRequest } from './channels/render-message.js';
import { postJson, type DeliveryResult, type JsonRequestOptions } from './delivery/http-delivery.client.js';
import { AnnotationSender } from './grafana/annotation-sender.js';
import { annotationId } from './grafana/grafana-annotation.js';
import { GrafanaAnnotations } from './grafana/grafana-annotations.service.js';
import type { GroupMessage } from './grouping/group-message.js';
import { backoffMs, retryAfterDelayMs } from './delivery/retry-policy.js';
import { WebhookRateLimiter } from './delivery/webhook-rate-limiter.js';
import { NotifyMetrics } from './notify.metrics.js';
import { NotifyRouter } from './notify-router.js';
import type { NotifyRoute } from './notify-route.js';
import type { JobOutcome, NotificationJob } from './queue/notification-queue.js';
import { NotifyStore, type OutboxRow } from './storage/notify.store.js';

const DONE: JobOutcome = { kind: 'done' };
const HOLD_IN_QUEUE_MS = 2000;
// A claimed row is re-sent by another worker only after this: long enough to cover the rate-limit
// wait and the request; it matters only when a process died in the middle of a send.
const LEASE_MS = 5 * 60_000;

const RESOLVE_AFTER_FIRING_MS = 500;

interface Target {
  key: string;
  channel: string;
  minIntervalMs: number;
  /** null for Grafana annotations, which are not a route */
  route: NotifyRoute | null;
}

export interface PreparedRequest {
  url: string;
  body: unknown;
  options?: JsonRequestOptions;
}

// The queue's job handler: check the delivery record, claim the row, wait for the receiver's
// rate limit, send once, record the attempt. The queue only schedules what this returns.
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger('notify');
  private readonly limiter = new WebhookRateLimiter();
  private readonly lastFailure = new Map<string, string>();
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: NotifyStore,
    private readonly router: NotifyRouter,
    private readonly metrics: NotifyMetrics,
    private readonly grafana: GrafanaAnnotations,
    private readonly annotations: AnnotationSender,
  ) {}

  /** Stops starting new sends; sends in flight finish and are recorded. */
  stop(): void {
    this.closing = true;
  }

  readonly handle = async (job: NotificationJob): Promise<JobOutcome> => {
    const row = await this.store.load(job.outboxId);
    if (!row) return DONE;
    if (row.status !== 'pending' && row.status !== 'queued' && row.status !== 'sending') {
      // Already delivered (or ended): a re-delivered job, a relay re-add or a restart.
      this.metrics.count(row.channel, 'duplicate');
      return DONE;
    }
    const target = this.targetOf(row);
    if (!target) {
      await this.store.close(row.id, 'failed', 'route_removed: no configured route has this key any more');
      this.metrics.count(row.channel, 'failed');
      return { kind: 'failed', reason: 'route_removed' };
    }
    const wait = await this.ordering(row, target);
    if (wait) return wait;
    if (this.closing) return { kind: 'retry', delayMs: 0, reason: 'shutting down' };
    // A receiver held back by a long Retry-After: wait in the queue, not holding a claim.
    const held = this.limiter.heldFor(target.key);
    if (held > HOLD_IN_QUEUE_MS) return { kind: 'retry', delayMs: held, reason: 'receiver rate-limited' };
    const attempt = await this.store.claim(row.id, Math.max(LEASE_MS, 2 * this.config.notify.requestTimeoutMs));
    if (attempt === null) {
      this.metrics.count(row.channel, 'duplicate');
      return DONE;
    }
    return this.send(row, target, attempt);
  };

  private targetOf(row: OutboxRow): Target | null {
    if (row.kind === 'annotation') {
      const g = this.grafana.target;
      return g && g.key === row.routeKey ? { key: g.key, channel: 'grafana', minIntervalMs: 0, route: null } : null;
    }
    const route = this.router.route(row.routeKey);
    return route ? { key: route.key, channel: route.channel, minIntervalMs: route.channel === 'slack' ? this.config.notify.slackMinIntervalMs : 0, route } : null;
  }

  // Per-alert rows: only an alert that resolved inside its route's group wait is never announced
  // as firing; otherwise every transition is sent, in order (a resolve waits for its firing).
  // Group messages are ordered when they are written (one open message per group).
  private async ordering(row: OutboxRow, target: Target): Promise<JobOutcome | null> {
    if (row.kind === 'group') return null;
    if (row.kind === 'annotation') {
      const extended = await this.annotations.extended(row);
      return extended.kind === 'wait' ? { kind: 'retry', delayMs: RESOLVE_AFTER_FIRING_MS, reason: 'waiting for the annotation it extends' } : null;
    }
    if (row.kind !== 'resolved' && (target.route?.groupWaitSeconds ?? 0) > 0 && (await this.store.resolvedSince(row))) {
      await this.store.close(row.id, 'superseded', null);
      this.metrics.count(row.channel, 'superseded');
      return DONE;
    }
    if (row.kind === 'resolved' && (await this.store.firingPending(row))) {
      return { kind: 'retry', delayMs: RESOLVE_AFTER_FIRING_MS, reason: 'waiting for the firing message of this alert' };
    }
    return null;
  }

  private async request(row: OutboxRow, target: Target, sentAtMs: number): Promise<PreparedRequest> {
    const n = this.config.notify;
    if (row.kind === 'annotation') return this.annotations.request(row);
    const route = target.route!;
    const common = { routeKey: route.key, externalUrl: n.externalUrl ?? null, sentAtMs, resendSeconds: n.alertmanagerResendSeconds };
    if (row.kind === 'group') {
      const input = { ...common, message: row.payload as GroupMessage, linksOf: (a: AlertView) => alertLinks(a, n) };
      return renderGroupRequest(route.channel, route.url, input);
    }
    if (!row.alert) throw new Error(`notification ${row.dedupKey} has no alert`);
    return renderRequest(route.channel, route.url, { ...common, alert: row.alert, kind: row.kind, links: alertLinks(row.alert, n) });
  }

  private async send(row: OutboxRow, target: Target, attempt: number): Promise<JobOutcome> {
    const started = Date.now();
    const request = await this.request(row, target, started);
    let sentAt = started;
    const result = await this.limiter.run(target.key, target.minIntervalMs, async () => {
      sentAt = Date.now();
      const answer = await postJson(request.url, request.body, this.config.notify.requestTimeoutMs, request.options);
      if (answer.kind === 'retry' && answer.retryAfterMs !== null) this.limiter.holdUntil(target.key, Date.now() + answer.retryAfterMs);
      return answer;
    });
    const durationMs = Date.now() - sentAt;
    switch (result.kind) {
      case 'delivered': {
        const externalId = row.kind === 'annotation' ? annotationId(result.body) : null;
        await this.store.recordAttempt(row.id, attempt, { outcome: 'delivered', status: 'delivered', httpStatus: result.httpStatus, error: null, durationMs, externalId });
        this.metrics.delivered(target.channel, Date.now() - row.createdAt.getTime());
        this.lastFailure.delete(target.key);
        return DONE;
      }
      case 'permanent':
        await this.store.recordAttempt(row.id, attempt, { outcome: 'failed', status: 'failed', httpStatus: result.httpStatus, error: result.error, durationMs });
        this.metrics.count(target.channel, 'failed');
        this.logFailure(target, row, result);
        return { kind: 'failed', reason: `${result.httpStatus} ${result.error}` };
      case 'retry':
        return this.retry(row, target, attempt, result, durationMs);
    }
  }

  private async retry(
    row: OutboxRow,
    route: Target,
    attempt: number,
    result: Extract<DeliveryResult, { kind: 'retry' }>,
    durationMs: number,
  ): Promise<JobOutcome> {
    const giveUp = attempt >= this.config.notify.maxAttempts;
    const status = giveUp ? 'failed' : 'queued';
    await this.store.recordAttempt(row.id, attempt, { outcome: giveUp ? 'failed' : 'retry', status, httpStatus: result.httpStatus, error: result.error, durationMs });
    this.logFailure(route, row, result);
    if (giveUp) {
      this.metrics.count(route.channel, 'failed');
      return { kind: 'failed', reason: `gave up after ${attempt} attempts: ${result.error}` };
    }
    this.metrics.count(route.channel, 'retried');
    let delayMs = backoffMs(attempt, this.config.notify);
    if (result.retryAfterMs !== null) {
      // The receiver said when (and the limiter holds every message to it until then).
      delayMs = retryAfterDelayMs(result.retryAfterMs);
    }
    return { kind: 'retry', delayMs, reason: result.error };
  }

  // One log line per change of a receiver's failure, not one per attempt.
  private logFailure(route: Target, row: OutboxRow, result: Exclude<DeliveryResult, { kind: 'delivered' }>): void {
    const text = `${route.channel} ${route.key}: ${result.httpStatus ?? 'network'} ${result.error}`;
    if (this.lastFailure.get(route.key) === text) return;
    this.lastFailure.set(route.key, text);
    this.logger.warn(`notification ${row.dedupKey} not delivered (${result.kind === 'permanent' ? 'permanent' : 'will retry'}): ${text}`);
  }
}
