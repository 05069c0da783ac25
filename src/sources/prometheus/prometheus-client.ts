import { readFileSync } from 'node:fs';
import type { PrometheusSourceConfig } from '../../config/config.schema.js';
import type { PullMetrics } from './pull.metrics.js';

// The Prometheus HTTP API as Prometheus, Thanos, Mimir and VictoriaMetrics serve it:
// POST /api/v1/query_range and /api/v1/query with a form body. Attempts are bounded
// (max parallel, timeout, retries with backoff honouring Retry-After); a query that still
// fails throws, and the caller keeps none of its batch.

export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
  /** [unix seconds, value as text] */
  readonly values: readonly (readonly [number, string])[];
}

export class PullQueryError extends Error {
  override readonly name = 'PullQueryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface PrometheusClientOptions {
  readonly url: string;
  readonly headers: () => Record<string, string>;
  readonly timeoutMs: number;
  readonly maxParallel: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
}

const MAX_RETRY_AFTER_MS = 60_000;
const USER_AGENT = 'wavewatch-pull/0.1';

export function clientOptions(config: PrometheusSourceConfig): PrometheusClientOptions {
  const headers = (): Record<string, string> => {
    const out: Record<string, string> = { ...config.headers };
    const token = config.bearerToken ?? (config.bearerTokenFile ? readFileSync(config.bearerTokenFile, 'utf8').trim() : undefined);
    if (token) out.Authorization = `Bearer ${token}`;
    if (config.basicAuth) {
      const password = config.basicAuth.password ?? readFileSync(config.basicAuth.passwordFile!, 'utf8').trim();
      out.Authorization = `Basic ${Buffer.from(`${config.basicAuth.username}:${password}`).toString('base64')}`;
    }
    return out;
  };
  return {
    url: config.url.replace(/\/+$/, ''),
    headers,
    timeoutMs: config.queryTimeoutSeconds * 1000,
    maxParallel: config.maxParallelQueries,
    maxAttempts: config.maxAttempts,
    retryBaseMs: config.retryBaseMs,
  };
}

export class PrometheusClient {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly options: PrometheusClientOptions,
    private readonly metrics?: PullMetrics,
    private readonly onWarning: (warning: string) => void = () => undefined,
  ) {}

  /** a matrix over [startMs, endMs] every stepMs */
  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<PromSeries[]> {
    const form = { query: expr, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) };
    return this.call('/api/v1/query_range', form, 'matrix') as Promise<PromSeries[]>;
  }

  /** an instant vector at timeMs, as series with one value */
  async query(expr: string, timeMs: number): Promise<PromSeries[]> {
    const vector = (await this.call('/api/v1/query', { query: expr, time: seconds(timeMs) }, 'vector')) as { metric: Record<string, string>; value: [number, string] }[];
    return vector.map((s) => ({ metric: s.metric, values: [s.value] }));
  }

  private async call(path: string, form: Record<string, string>, resultType: string): Promise<unknown> {
    await this.acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await this.attempt(path, form, resultType);
          this.metrics?.queries.inc({ outcome: 'ok' });
          return result;
        } catch (error) {
          const e = error instanceof PullQueryError ? error : new PullQueryError(String(error), true);
          if (!e.retryable || attempt >= this.options.maxAttempts) {
            this.metrics?.queries.inc({ outcome: 'failed' });
            throw e;
          }
          this.metrics?.queries.inc({ outcome: 'retried' });
          const backoff = this.options.retryBaseMs * 2 ** (attempt - 1);
          await sleep(Math.min(MAX_RETRY_AFTER_MS, Math.max(backoff, e.retryAfterMs ?? 0)));
        }
      }
    } finally {
      this.release();
    }
  }

  private async attempt(path: string, form: Record<string, string>, resultType: string): Promise<unknown> {
    const timeoutSeconds = Math.max(1, Math.floor(this.options.timeoutMs / 1000));
    // Thanos answers partial data unless told not to: a partial fleet must fail, not look calm.
    // nocache: VictoriaMetrics otherwise aligns start to the step and caches recent points.
    const body = new URLSearchParams({ ...form, timeout: `${timeoutSeconds}s`, partial_response: 'false', nocache: '1' });
    const stop = this.metrics?.querySeconds.startTimer();
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.options.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': USER_AGENT, ...this.options.headers() },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new PullQueryError(`${path}: ${error instanceof Error ? error.message : String(error)}`, true);
    } finally {
      stop?.();
    }
    let parsed: { status?: string; errorType?: string; error?: string; warnings?: string[]; data?: { resultType?: string; result?: unknown } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // a proxy's HTML error page: judged by the status code below
    }
    for (const warning of parsed.warnings ?? []) {
      this.metrics?.warnings.inc();
      this.onWarning(warning);
    }
    if (!response.ok || parsed.status !== 'success') {
      const status = response.status;
      const reason = parsed.error ? `${parsed.errorType ?? 'error'}: ${parsed.error}` : text.slice(0, 200).replace(/\s+/g, ' ');
      // 429 and 5xx are the store's load or an outage; 4xx (bad_data, 422 execution) would fail again
      const retryable = status === 429 || status >= 500 || (response.ok && parsed.status !== 'error');
      throw new PullQueryError(`${path} answered ${status}: ${reason}`, retryable, retryAfterMs(response.headers.get('retry-after')));
    }
    if (parsed.data?.resultType !== resultType || !Array.isArray(parsed.data.result)) {
      throw new PullQueryError(`${path}: expected a ${resultType}, got ${parsed.data?.resultType ?? 'nothing'}`, false);
    }
    return parsed.data.result;
  }

  private async acquire(): Promise<void> {
    if (this.active < this.options.maxParallel) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retry-After as seconds or an HTTP date */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
