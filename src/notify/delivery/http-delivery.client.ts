// A thin fetch-based client instead of @slack/webhook: that client hides the response headers,
// and a 429 must be retried after exactly its Retry-After. One client serves all channels.

export type DeliveryResult =
  | { kind: 'delivered'; httpStatus: number; body?: string }
  | { kind: 'retry'; httpStatus: number | null; error: string; retryAfterMs: number | null }
  | { kind: 'permanent'; httpStatus: number; error: string };

const MAX_ERROR_CHARS = 300;

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

// Slack answers errors as a bare string (invalid_blocks, no_service, channel_not_found...).
function errorText(status: number, body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return (text || `http_${status}`).slice(0, MAX_ERROR_CHARS);
}

export function classifyResponse(status: number, body: string, retryAfter: string | null, nowMs: number): DeliveryResult {
  if (status >= 200 && status < 300) return { kind: 'delivered', httpStatus: status, body: body.slice(0, MAX_ERROR_CHARS) };
  if (status === 429 || status === 408 || status >= 500) {
    return { kind: 'retry', httpStatus: status, error: errorText(status, body), retryAfterMs: parseRetryAfter(retryAfter, nowMs) };
  }
  // Any other 4xx means the message or the receiver is wrong: retrying cannot help.
  return { kind: 'permanent', httpStatus: status, error: errorText(status, body) };
}

export interface JsonRequestOptions {
  method?: 'POST' | 'PATCH';
  headers?: Record<string, string>;
}

export async function postJson(url: string, body: unknown, timeoutMs: number, options: JsonRequestOptions = {}): Promise<DeliveryResult> {
  try {
    const res = await fetch(url, {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'wavewatch', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = await res.text();
    return classifyResponse(res.status, text, res.headers.get('retry-after'), Date.now());
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'retry', httpStatus: null, error: (cause ? `${cause}: ${message}` : message).slice(0, MAX_ERROR_CHARS), retryAfterMs: null };
  }
}
