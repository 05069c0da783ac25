import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { ApiTokens, grants, type ApiToken } from './api-tokens.js';
import { ANONYMOUS, HttpRequestMetrics, INVALID } from './http-request.metrics.js';
import { requestCredential, type Credential } from './request-credentials.js';
import { describeRoute, type RouteController, type RouteDescription, type RouteHandler } from './route-requirement.js';

export const WWW_AUTHENTICATE = 'Bearer realm="wavewatch", Basic realm="wavewatch"';
const MISSING = 'missing token: send "Authorization: Bearer <token>" or the token as the HTTP Basic password';

// The one place that decides who may call a route (immich's global guard): routes only
// declare their scope. Guards run before any handler, so a refused request never has its
// body read or decoded.
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly routes = new WeakMap<RouteHandler, RouteDescription>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokens,
    private readonly metrics: HttpRequestMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const route = this.route(context.getClass(), context.getHandler());
    const { scope, queryToken } = route.effective;
    const credential = requestCredential(req.headers, (req.query as Record<string, unknown> | undefined)?.token, queryToken);
    const token = credential.kind === 'token' ? this.tokens.identify(credential.token) : undefined;
    const label = token?.name ?? (credential.kind === 'none' ? ANONYMOUS : INVALID);
    res.once('finish', () => this.metrics.count(route.path, label, res.statusCode));

    // No token configured: protected mode (see protected-mode.ts) keeps this to loopback or to WAVEWATCH_AUTH=none.
    if (scope === 'public' || this.tokens.size === 0) return true;
    if (token === undefined) throw this.unauthorized(res, credential);
    if (!grants(token, scope)) throw forbidden(token, scope);
    return true;
  }

  private unauthorized(res: Response, credential: Credential): DomainError {
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

  private route(controller: RouteController, handler: RouteHandler): RouteDescription {
    let route = this.routes.get(handler);
    if (route === undefined) {
      route = describeRoute(this.reflector, controller, handler, this.config.auth.protectMetrics);
      this.routes.set(handler, route);
    }
    return route;
  }
}

const forbidden = (token: ApiToken, scope: string): DomainError => new DomainError('forbidden', `token "${token.name}" lacks the "${scope}" scope`);
