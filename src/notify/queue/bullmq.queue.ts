import { Logger } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { backoffMs, type RetrySettings } from '../delivery/retry-policy.js';
import { RetryLaterError, type JobHandler, type NotificationJob, type NotificationQueue } from './notification-queue.js';

const QUEUE_NAME = 'wavewatch-notifications';
const JOB_NAME = 'deliver';
// The outbox row counts attempts and gives up; BullMQ only needs to keep retrying until then.
const BULL_ATTEMPTS = 1000;
const ADD_TIMEOUT_MS = 2000;
const CLOSE_TIMEOUT_MS = 5000;

export interface BullmqSettings extends RetrySettings {
  redisUrl: string;
  prefix: string;
  concurrency: number;
}

// Reconnect quickly after a Redis restart; the outbox keeps everything meanwhile.
const retryStrategy = (times: number): number => Math.min(200 * times, 2000);

export class BullmqNotificationQueue implements NotificationQueue {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('notify-queue');
  private readonly queue: Queue<NotificationJob>;
  private worker: Worker<NotificationJob> | null = null;
  private lastError = '';

  constructor(private readonly settings: BullmqSettings) {
    // One retry per command for the producer: while Redis is down add() fails within a
    // reconnect attempt and the row simply stays in the outbox for the next relay pass.
    this.queue = new Queue<NotificationJob>(QUEUE_NAME, {
      connection: { url: settings.redisUrl, maxRetriesPerRequest: 1, retryStrategy },
      prefix: settings.prefix,
    });
    this.queue.on('error', (error) => this.logOnce(error));
  }

  async add(job: NotificationJob, delayMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis: add timed out')), ADD_TIMEOUT_MS);
    });
    try {
      await Promise.race([
        this.queue.add(JOB_NAME, job, {
          jobId: job.dedupKey,
          delay: Math.max(0, Math.round(delayMs)),
          attempts: BULL_ATTEMPTS,
          backoff: { type: 'wavewatch' },
          removeOnComplete: true,
          removeOnFail: { age: 24 * 3600 },
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  start(handler: JobHandler): void {
    const worker = new Worker<NotificationJob>(QUEUE_NAME, (job: Job<NotificationJob>) => this.process(handler, job), {
      connection: { url: this.settings.redisUrl, maxRetriesPerRequest: null, retryStrategy },
      prefix: this.settings.prefix,
      concurrency: this.settings.concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryLaterError ? err.delayMs : backoffMs(attemptsMade, this.settings),
      },
    });
    worker.on('error', (error) => this.logOnce(error));
    this.worker = worker;
  }

  async depth(): Promise<number | null> {
    try {
      const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    // Worker first: close() waits for the active deliveries to finish and be recorded. With
    // Redis unreachable BullMQ's close() waits for a connection that never comes, so after a
    // grace period the connections are dropped: the outbox still holds whatever was pending.
    const graceful = (async () => {
      await this.worker?.close();
      await this.queue.close();
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), CLOSE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    this.logger.warn(`redis: queue did not close within ${CLOSE_TIMEOUT_MS} ms; disconnecting`);
    graceful.catch(() => undefined);
    // disconnect() itself waits for a 'close' that a never-opened connection does not emit:
    // start it (it stops the reconnect timers) without waiting for it.
    void Promise.allSettled([this.worker?.disconnect(), this.queue.disconnect()]);
  }

  private async process(handler: JobHandler, job: Job<NotificationJob>): Promise<void> {
    const outcome = await handler(job.data);
    switch (outcome.kind) {
      case 'done':
        return;
      case 'retry':
        throw new RetryLaterError(outcome.delayMs, outcome.reason);
      case 'failed':
        throw new UnrecoverableError(outcome.reason);
    }
  }

  // Redis errors repeat on every reconnect attempt: log each distinct one once.
  private logOnce(error: Error): void {
    if (error.message === this.lastError) return;
    this.lastError = error.message;
    this.logger.warn(`redis: ${error.message}`);
  }
}
