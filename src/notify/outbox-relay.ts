import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { GroupFlusher } from './grouping/group-flusher.js';
import { NotifyRouter } from './notify-router.js';
import { NOTIFICATION_QUEUE } from './notify.tokens.js';
import type { NotificationQueue } from './queue/notification-queue.js';
import { NotifyGroupsStore } from './storage/notify-groups.store.js';
import { NotifyStore } from './storage/notify.store.js';

const BATCH = 200;
const REPEAT_EVERY_MS = 5_000;
const PURGE_EVERY_MS = 3600_000;
// A row queued this long ago and still not delivered may have been lost by the queue (an
// in-process queue after a restart, a flushed Redis): add it again. Same job id, so a job the
// queue still holds is not duplicated, and the sender's DB check covers the rest.
const REQUEUE_AFTER_SECONDS = 60;

// Moves outbox rows to the queue. Polls rather than hooking commits: the rows are written in
// other modules' transactions, and a short poll keeps the path simple and restart-safe.
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('notify-relay');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private lastRepeatAt = 0;
  private lastPurgeAt = 0;
  private lastError = '';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NOTIFICATION_QUEUE) private readonly queue: NotificationQueue,
    private readonly store: NotifyStore,
    private readonly router: NotifyRouter,
    private readonly flusher: GroupFlusher,
    private readonly groups: NotifyGroupsStore,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // First pass takes every undelivered row, whatever its age: the queue may be new.
    this.run(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One relay pass; exposed for tests and for callers that want a row out without waiting. */
  async tick(staleSeconds = REQUEUE_AFTER_SECONDS): Promise<number> {
    // Due groups become message rows first, so this same pass queues them.
    await this.flusher.flushDue();
    const rows = await this.store.dueForQueue(staleSeconds, BATCH);
    const queued: string[] = [];
    try {
      for (const row of rows) {
        // A claimed row back here lost its sender (lease expired, or its replica died): the
        // queue may still hold that sender's job under the plain key, so this one gets its own;
        // the claim in the database keeps it to one send.
        const jobKey = row.status === 'sending' ? `${row.dedupKey}.${row.attempts}` : row.dedupKey;
        await this.queue.add({ outboxId: row.id, dedupKey: jobKey }, row.notBefore.getTime() - Date.now());
        queued.push(row.id);
      }
      this.noteRecovery();
    } catch (error) {
      // Queue unreachable: what was not added stays in the outbox and goes next pass.
      this.noteError(error);
    }
    await this.store.markQueued(queued);
    await this.housekeeping();
    return queued.length;
  }

  private run(staleSeconds: number): void {
    this.running = this.tick(staleSeconds)
      .then(() => undefined)
      .catch((error: unknown) => this.noteError(error))
      .finally(() => {
        if (!this.stopped) this.timer = setTimeout(() => this.run(REQUEUE_AFTER_SECONDS), this.config.notify.relayIntervalMs);
      });
  }

  private async housekeeping(): Promise<void> {
    const now = Date.now();
    if (now - this.lastRepeatAt >= Math.min(REPEAT_EVERY_MS, this.config.notify.alertmanagerResendSeconds * 500)) {
      this.lastRepeatAt = now;
      for (const route of this.router.routes) {
        const seconds = this.router.repeatSeconds(route);
        if (Number.isFinite(seconds)) await this.store.insertRepeats(route.key, seconds, BATCH);
      }
    }
    if (now - this.lastPurgeAt >= PURGE_EVERY_MS) {
      this.lastPurgeAt = now;
      await this.store.purge(this.config.notify.retentionHours);
      await this.groups.purge(this.config.notify.retentionHours);
    }
  }

  private noteError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (message !== this.lastError) this.logger.warn(`relay: ${message}; undelivered notifications stay in the outbox`);
    this.lastError = message;
  }

  private noteRecovery(): void {
    if (this.lastError) this.logger.log('relay: queue reachable again');
    this.lastError = '';
  }
}
