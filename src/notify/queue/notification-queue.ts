// The queue between the outbox relay and the senders. Two drivers behind one interface (as
// Twenty's message-queue drivers): BullMQ on Redis, and an in-process queue when no Redis is
// configured. Retry timing is decided by the handler, so both drivers behave the same.

export interface NotificationJob {
  outboxId: string;
  /** also the job id: a job re-added while still queued is not queued twice */
  dedupKey: string;
}

export type JobOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'failed'; reason: string };

export type JobHandler = (job: NotificationJob) => Promise<JobOutcome>;

export interface NotificationQueue {
  readonly driver: 'bullmq' | 'in-process';
  add(job: NotificationJob, delayMs: number): Promise<void>;
  start(handler: JobHandler): void;
  /** jobs waiting, delayed or active; null when it cannot be known (Redis down) */
  depth(): Promise<number | null>;
  close(): Promise<void>;
}

/** Thrown to the queue when the handler asks for a retry at a given delay. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}
