import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { ApiTokens, grants, type ApiToken } from './api-tokens.js';
import { ANONYMOUS, HttpRequestMetrics, INVALID } from './http-request.metrics.js';
import { requestCredential, type Credential } from './request-credentials.js';
import type { RouteDescription } from './route-requirement.js';

export const WWW_AUTHENTICATE = 'Bearer realm="wavewatch", Basic realm="wavewatch"';
const MISSING = 'missing token: send "Authorization: Bearer <token>" or the token as the HTTP Basic password';

// Who may call a route, decided for one request: the global AuthGuard asks it for every
// route, and so does the remote_write fast lane (ingest/remote-write.lane.ts), which serves
// its route without the framework's pipeline. Counts the request under its route template,
// token name and status once the response is sent.
@Injectable()
export class RequestAuthorizer {
  constructor(
    private readonly tokens: ApiTokens,
    private readonly metrics: HttpRequestMetrics,
  ) {}

  /** throws the 401/403 DomainError for a refused request (WWW-Authenticate already set on a 401) */
  authorize(req: IncomingMessage, res: ServerResponse, route: RouteDescription, queryToken: unknown): void {
    const { scope, queryToken: allowQuery } = route.effective;
    const credential = requestCredential(req.headers, queryToken, allowQuery);
    const token = credential.kind === 'token' ? this.tokens.identify(credential.token) : undefined;
    const label = token?.name ?? (credential.kind === 'none' ? ANONYMOUS : INVALID);
    res.once('finish', () => this.metrics.count(route.path, label, res.statusCode));

    // No token configured: protected mode (see protected-mode.ts) keeps this to loopback or to WAVEWATCH_AUTH=none.
    if (scope === 'public' || this.tokens.size === 0) return;
    if (token === undefined) throw unauthorized(res, credential);
    if (!grants(token, scope)) throw forbidden(token, scope);
  }
}

function unauthorized(res: ServerResponse, credential: Credential): DomainError {
  res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
  switch (credential.kind) {
    case 'none':
      return new DomainError('unauthorized', credential.hint ? `${MISSING} (${credential.hint})` : MISSING);
    case 'malformed':
      return new DomainError('unauthorized', credential.reason);
    case 'token':
      return new DomainError('unauthorized', 'unknown token');
  }
}

const forbidden = (token: ApiToken, scope: string): DomainError => new DomainError('forbidden', `token "${token.name}" lacks the "${scope}" scope`);
