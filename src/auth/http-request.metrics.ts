import { Counter, type Registry } from 'prom-client';

export type TokenLabel = string;
/** request without any credential, or on an open route */
export const ANONYMOUS: TokenLabel = 'anonymous';
/** a credential that matches no configured token, or a malformed Authorization header */
export const INVALID: TokenLabel = 'invalid';

// Requests by route template (never the raw URL), token name (never the secret) and HTTP
// status. Label values are bounded: routes by the code, names by the configuration.
export class HttpRequestMetrics {
  readonly requests: Counter<'route' | 'token' | 'status'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'wavewatch_http_requests_total',
      help: 'HTTP requests by route template, token name (anonymous/invalid without a known token) and status code.',
      labelNames: ['route', 'token', 'status'],
      registers: [registry],
    });
  }

  /** Series a dashboard alerts on from zero: refusals a route can produce. */
  initialise(route: string, token: TokenLabel, status: number): void {
    this.requests.inc({ route, token, status: String(status) }, 0);
  }

  count(route: string, token: TokenLabel, status: number): void {
    this.requests.inc({ route, token, status: String(status) });
  }
}
