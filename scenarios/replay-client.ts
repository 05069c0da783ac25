import { setTimeout as sleep } from 'node:timers/promises';

// HTTP to wavewatch's public contracts, retrying only what senders may retry: 429/503 (and
// other 5xx or network errors) with capped exponential backoff, honouring Retry-After.

export interface ClientOptions {
  readonly baseUrl: string;
  readonly maxAttempts?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** sent as `Authorization: Bearer` */
  readonly token?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly attempts: number;
}

export class ReplayClient {
  retries = 0;

  constructor(private readonly options: ClientOptions) {}

  async request(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: Uint8Array | string): Promise<HttpAnswer> {
    const max = this.options.maxAttempts ?? 8;
    let backoff = this.options.minBackoffMs ?? 50;
    const ceiling = this.options.maxBackoffMs ?? 5000;
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let text = '';
      let retryAfterMs: number | null = null;
      try {
        const auth: Record<string, string> = this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {};
        const res = await fetch(new URL(path, this.options.baseUrl), { method, headers: { ...headers, ...auth }, body });
        status = res.status;
        text = await res.text();
        const ra = Number(res.headers.get('retry-after'));
        if (Number.isFinite(ra) && ra > 0) retryAfterMs = ra * 1000;
        if (status < 500 && status !== 429) return { status, body: text, attempts: attempt };
      } catch (error) {
        if (attempt >= max) throw new Error(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      if (attempt >= max) return { status, body: text, attempts: attempt };
      this.retries++;
      await sleep(Math.min(ceiling, retryAfterMs ?? backoff));
      backoff = Math.min(ceiling, backoff * 2);
    }
  }
}
