import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { alertLinks } from './channels/alert-links.js';
import { renderRequest } from './channels/render-message.js';
import { postJson, type DeliveryResult } from './delivery/http-delivery.client.js';
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
    const route = this.router.route(row.routeKey);
    if (!route) {
      await this.store.close(row.id, 'failed', 'route_removed: no configured route has this key any more');
      this.metrics.count(row.channel, 'failed');
      return { kind: 'failed', reason: 'route_removed' };
    }
    // Only an alert that resolved inside its route's group wait is never announced as firing;
    // otherwise every transition is sent, and in order: a resolve waits for its firing.
    if (row.kind !== 'resolved' && route.groupWaitSeconds > 0 && (await this.store.resolvedSince(row))) {
      await this.store.close(row.id, 'superseded', null);
      this.metrics.count(row.channel, 'superseded');
      return DONE;
    }
    if (row.kind === 'resolved' && (await this.store.firingPending(row))) {
      return { kind: 'retry', delayMs: RESOLVE_AFTER_FIRING_MS, reason: 'waiting for the firing message of this alert' };
    }
    if (this.closing) return { kind: 'retry', delayMs: 0, reason: 'shutting down' };
    // A receiver held back by a long Retry-After: wait in the queue, not holding a claim.
    const held = this.limiter.heldFor(route.key);
    if (held > HOLD_IN_QUEUE_MS) return { kind: 'retry', delayMs: held, reason: 'receiver rate-limited' };
    const attempt = await this.store.claim(row.id, Math.max(LEASE_MS, 2 * this.config.notify.requestTimeoutMs));
    if (attempt === null) {
      this.metrics.count(row.channel, 'duplicate');
      return DONE;
    }
    return this.send(row, route, attempt);
  };

  private async send(row: OutboxRow, route: NotifyRoute, attempt: number): Promise<JobOutcome> {
    const started = Date.now();
    const request = renderRequest(route.channel, route.url, {
      alert: row.alert,
      kind: row.kind,
      routeKey: route.key,
      links: alertLinks(row.alert, this.config.notify),
      externalUrl: this.config.notify.externalUrl ?? null,
      sentAtMs: started,
      resendSeconds: this.config.notify.alertmanagerResendSeconds,
    });
    const interval = route.channel === 'slack' ? this.config.notify.slackMinIntervalMs : 0;
    let sentAt = started;
    const result = await this.limiter.run(route.key, interval, async () => {
      sentAt = Date.now();
      const answer = await postJson(request.url, request.body, this.config.notify.requestTimeoutMs);
      if (answer.kind === 'retry' && answer.retryAfterMs !== null) this.limiter.holdUntil(route.key, Date.now() + answer.retryAfterMs);
      return answer;
    });
    const durationMs = Date.now() - sentAt;
    switch (result.kind) {
      case 'delivered':
        await this.store.recordAttempt(row.id, attempt, { outcome: 'delivered', status: 'delivered', httpStatus: result.httpStatus, error: null, durationMs });
        this.metrics.delivered(route.channel, Date.now() - row.createdAt.getTime());
        this.lastFailure.delete(route.key);
        return DONE;
      case 'permanent':
        await this.store.recordAttempt(row.id, attempt, { outcome: 'failed', status: 'failed', httpStatus: result.httpStatus, error: result.error, durationMs });
        this.metrics.count(route.channel, 'failed');
        this.logFailure(route, row, result);
        return { kind: 'failed', reason: `${result.httpStatus} ${result.error}` };
      case 'retry':
        return this.retry(row, route, attempt, result, durationMs);
    }
  }

  private async retry(
    row: OutboxRow,
    route: NotifyRoute,
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
  private logFailure(route: NotifyRoute, row: OutboxRow, result: Exclude<DeliveryResult, { kind: 'delivered' }>): void {
    const text = `${route.channel} ${route.key}: ${result.httpStatus ?? 'network'} ${result.error}`;
    if (this.lastFailure.get(route.key) === text) return;
    this.lastFailure.set(route.key, text);
    this.logger.warn(`notification ${row.dedupKey} not delivered (${result.kind === 'permanent' ? 'permanent' : 'will retry'}): ${text}`);
  }
}
