import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AbstractHttpAdapter, HttpAdapterHost, Reflector } from '@nestjs/core';
import { RequestAuthorizer } from '../auth/request-authorizer.js';
import { describeRoute, type RouteDescription } from '../auth/route-requirement.js';
import { DomainError } from '../common/domain-error.js';
import { writeDomainError, writeInternalError } from '../common/domain-error.filter.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { IngestController } from './ingest.controller.js';
import { RemoteWriteEndpoint } from './remote-write.endpoint.js';

const PATH = '/api/v1/write';

// POST /api/v1/write served ahead of the framework: remote_write is the one route called
// thousands of times a second, and the framework's pipeline (router, guard and interceptor
// chains, the reply adapter) was measured at 17 % of its CPU per request (1.86 vs 2.25 µs
// per sample, apiserver and CoreDNS series; `npm run bench -- ingest`). It stays one route
// with one contract: the scope comes from the controller's @Scope, RequestAuthorizer decides
// as the global guard does, RemoteWriteEndpoint does what the controller does, and errors
// leave as the exception filter writes them (without the weak ETag Express adds to an error
// body: no remote_write client reads it). Every other request, and any other spelling of this
// path, goes to the framework unchanged.
@Injectable()
export class RemoteWriteLane implements OnApplicationBootstrap {
  private readonly logger = new Logger('ingest');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly reflector: Reflector,
    private readonly authorizer: RequestAuthorizer,
    private readonly endpoint: RemoteWriteEndpoint,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // absent when the application runs without an HTTP server (a standalone context)
    const adapter: AbstractHttpAdapter | undefined = this.adapterHost.httpAdapter;
    const server = adapter?.getHttpServer() as Server | undefined;
    const app = adapter?.getInstance<RequestListener>();
    if (server === undefined || app === undefined) return;
    const listeners = server.listeners('request');
    if (listeners.length !== 1 || listeners[0] !== app) {
      this.logger.warn('remote_write fast lane not installed: the HTTP server has other request listeners; the controller serves the route');
      return;
    }
    // eslint-disable-next-line @typescript-eslint/unbound-method -- read for its route metadata, never called
    const route = describeRoute(this.reflector, IngestController, IngestController.prototype.write, this.config.auth.protectMetrics);
    server.removeListener('request', app);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST' && isWritePath(req.url)) void this.serve(req, res, route);
      else app(req, res);
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse, route: RouteDescription): Promise<void> {
    try {
      this.authorizer.authorize(req, res, route, queryToken(req.url!));
      await this.endpoint.write(req, res);
      res.statusCode = 204;
      res.end();
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof DomainError) writeDomainError(res, error);
      else {
        this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        writeInternalError(res);
      }
    }
  }
}

const isWritePath = (url: string | undefined): boolean => url === PATH || (url !== undefined && url.startsWith(PATH) && url.charCodeAt(PATH.length) === 0x3f); // '?'

/** ?token= as the framework's query parser hands it to the guard: absent, one string, or several */
function queryToken(url: string): unknown {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const tokens = new URLSearchParams(url.slice(q + 1)).getAll('token');
  return tokens.length === 0 ? undefined : tokens.length === 1 ? tokens[0] : tokens;
}
