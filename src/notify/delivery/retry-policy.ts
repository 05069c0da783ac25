export interface RetrySettings {
  retryBaseMs: number;
  retryMaxMs: number;
}

// Exponential backoff with "equal jitter": half the step is fixed, half random, so retries of
// many messages spread out but none comes back sooner than half its step.
export function backoffMs(attempt: number, s: RetrySettings, random: () => number = Math.random): number {
  const step = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** A server's Retry-After is a floor: add a little jitter on top, never subtract. */
export function retryAfterDelayMs(retryAfterMs: number, random: () => number = Math.random): number {
  return retryAfterMs + Math.round(random() * Math.min(1000, 50 + retryAfterMs * 0.1));
}
