import { Logger } from '@nestjs/common';
import { backoffMs, type RetrySettings } from '../delivery/retry-policy.js';
import type { JobHandler, NotificationJob, NotificationQueue } from './notification-queue.js';

interface Entry {
  job: NotificationJob;
  runAt: number;
  attempt: number;
  active: boolean;
}

// Embedded mode: jobs live in memory. Nothing is lost on a restart because the outbox row stays
// queued until delivered and the relay re-adds it; the handler's DB check prevents a re-send.
export class InProcessNotificationQueue implements NotificationQueue {
  readonly driver = 'in-process' as const;
  private readonly logger = new Logger('notify-queue');
  private readonly entries = new Map<string, Entry>();
  private readonly running = new Set<Promise<void>>();
  private handler: JobHandler | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly retry: RetrySettings,
  ) {}

  add(job: NotificationJob, delayMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('queue closed'));
    if (!this.entries.has(job.dedupKey)) {
      this.entries.set(job.dedupKey, { job, runAt: Date.now() + delayMs, attempt: 0, active: false });
      this.schedule();
    }
    return Promise.resolve();
  }

  start(handler: JobHandler): void {
    this.handler = handler;
    this.schedule();
  }

  depth(): Promise<number> {
    return Promise.resolve(this.entries.size);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
    this.entries.clear();
  }

  private schedule(): void {
    if (this.closed || !this.handler) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = Date.now();
    let nextAt = Infinity;
    for (const entry of this.entries.values()) {
      if (entry.active) continue;
      if (entry.runAt > now) nextAt = Math.min(nextAt, entry.runAt);
      // A due job waiting for a free slot is picked up when a running one finishes.
      else if (this.running.size < this.concurrency) this.run(entry);
    }
    if (nextAt !== Infinity) this.timer = setTimeout(() => this.schedule(), nextAt - now);
  }

  private run(entry: Entry): void {
    const handler = this.handler;
    if (!handler) return;
    entry.active = true;
    entry.attempt += 1;
    const task = handler(entry.job)
      .catch((error: unknown) => {
        // The handler records delivery outcomes itself; an exception here is our own failure
        // (e.g. the database), so retry it with backoff like BullMQ would.
        this.logger.warn(`notification job ${entry.job.dedupKey} failed: ${error instanceof Error ? error.message : String(error)}`);
        return { kind: 'retry' as const, delayMs: backoffMs(entry.attempt, this.retry), reason: 'handler error' };
      })
      .then((outcome) => {
        entry.active = false;
        if (outcome.kind === 'retry' && !this.closed) entry.runAt = Date.now() + outcome.delayMs;
        else this.entries.delete(entry.job.dedupKey);
      })
      .finally(() => {
        this.running.delete(task);
        this.schedule();
      });
    this.running.add(task);
  }
}
