// Paces sends per receiver. Slack allows about one message per second per incoming webhook:
// sends to one webhook run one at a time, the next starting minInterval after the previous
// answered (so the receiver sees the gap whatever the network does). A 429 holds a receiver
// back until its Retry-After, for every message to it. Per process: replicas pace separately.
export class WebhookRateLimiter {
  private readonly nextFreeAt = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly now: () => number = Date.now) {}

  run<T>(key: string, minIntervalMs: number, send: () => Promise<T>): Promise<T> {
    if (minIntervalMs <= 0) return this.afterHold(key, send);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(() =>
      this.afterHold(key, send).finally(() => this.holdUntil(key, this.now() + minIntervalMs)),
    );
    this.tails.set(key, next.catch(() => undefined));
    return next;
  }

  /** How long a receiver is still held back by a 429. */
  heldFor(key: string): number {
    return Math.max(0, (this.nextFreeAt.get(key) ?? 0) - this.now());
  }

  holdUntil(key: string, atMs: number): void {
    this.nextFreeAt.set(key, Math.max(this.nextFreeAt.get(key) ?? 0, atMs));
  }

  private async afterHold<T>(key: string, send: () => Promise<T>): Promise<T> {
    const wait = (this.nextFreeAt.get(key) ?? 0) - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return send();
  }
}
