import { RequestMethod, type ExecutionContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { Reflector } from '@nestjs/core';
import { OPEN_UNLESS_PROTECT_METRICS } from './open-metrics.decorator.js';
import { AUTH_SCOPE, type ScopeRequirement } from './scope.decorator.js';

// What a route needs, decided from its declaration; a route that declares nothing fails
// closed: reads under /api/v1 need `read`, anything else `admin`.

export type RouteController = ReturnType<ExecutionContext['getClass']>;
export type RouteHandler = ReturnType<ExecutionContext['getHandler']>;

export interface RouteDescription {
  readonly method: string;
  /** the template, e.g. "/api/v1/rollouts/:id/health" */
  readonly path: string;
  readonly declared: ScopeRequirement | undefined;
  readonly effective: ScopeRequirement;
}

const PUBLIC: ScopeRequirement = { scope: 'public', queryToken: false };

export function describeRoute(reflector: Reflector, controller: RouteController, handler: RouteHandler, protectMetrics: boolean): RouteDescription {
  const methodCode = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  const method = methodCode === undefined ? 'ALL' : RequestMethod[methodCode];
  const path = routeTemplate(controller, handler);
  const declared = reflector.getAllAndOverride<ScopeRequirement | undefined>(AUTH_SCOPE, [handler, controller]);
  if (declared === undefined) return { method, path, declared, effective: { scope: fallbackScope(method, path), queryToken: false } };
  const openMetrics = reflector.get<boolean | undefined>(OPEN_UNLESS_PROTECT_METRICS, handler) === true;
  return { method, path, declared, effective: openMetrics && !protectMetrics ? PUBLIC : declared };
}

const fallbackScope = (method: string, path: string): 'read' | 'admin' =>
  (method === 'GET' || method === 'HEAD') && path.startsWith('/api/v1/') ? 'read' : 'admin';

function routeTemplate(controller: RouteController, handler: RouteHandler): string {
  const parts = [Reflect.getMetadata(PATH_METADATA, controller) as unknown, Reflect.getMetadata(PATH_METADATA, handler) as unknown];
  const joined = parts
    .map((p) => (Array.isArray(p) ? String(p[0] ?? '') : typeof p === 'string' ? p : ''))
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`;
}
