// Spaces sends per receiver (Slack allows about one message per second per incoming webhook)
// and holds a receiver back after it answered 429. Per process: with several replicas each
// keeps its own spacing, and a 429 still slows them all through Retry-After.
export class WebhookRateLimiter {
  private readonly nextFreeAt = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Reserves the next send slot of a receiver; returns how long to wait for it. */
  reserve(key: string, minIntervalMs: number): number {
    const now = this.now();
    const slot = Math.max(now, this.nextFreeAt.get(key) ?? 0);
    this.nextFreeAt.set(key, slot + minIntervalMs);
    return slot - now;
  }

  holdUntil(key: string, atMs: number): void {
    this.nextFreeAt.set(key, Math.max(this.nextFreeAt.get(key) ?? 0, atMs));
  }
}
