import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { RequestAuthorizer } from './request-authorizer.js';
import { describeRoute, type RouteController, type RouteDescription, type RouteHandler } from './route-requirement.js';

// The one place that decides who may call a route (immich's global guard): routes only
// declare their scope. Guards run before any handler, so a refused request never has its
// body read or decoded.
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly routes = new WeakMap<RouteHandler, RouteDescription>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authorizer: RequestAuthorizer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const route = this.route(context.getClass(), context.getHandler());
    this.authorizer.authorize(req, res, route, (req.query as Record<string, unknown> | undefined)?.token);
    return true;
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
