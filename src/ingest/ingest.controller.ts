import { Controller, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { badRequest } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { IngestService } from './ingest.service.js';
import { RemoteWriteEndpoint } from './remote-write.endpoint.js';
import { readBody } from '../common/read-body.js';
import { Scope } from '../auth/scope.decorator.js';

@Controller('api/v1')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly endpoint: RemoteWriteEndpoint,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Declares the route and its scope. Requests for exactly /api/v1/write are served by the
  // fast lane (remote-write.lane.ts) with the same authorisation and endpoint; this handler
  // serves the rest (another spelling of the path, or a server the lane could not wrap).
  @Post('write')
  @Scope('metrics:write')
  @HttpCode(204)
  async write(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.endpoint.write(req, res);
  }

  @Post('import/prometheus')
  @Scope('metrics:write')
  @HttpCode(204)
  async importText(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query('cluster') cluster: unknown): Promise<void> {
    const request = this.endpoint.track(res);
    request.protocol = 'text';
    await this.endpoint.guard(res, async () => {
      if (cluster !== undefined && (typeof cluster !== 'string' || cluster === '')) throw badRequest('cluster must be one non-empty string');
      await this.ingest.admit(async () => {
        const body = await readBody(req, this.config.ingest.maxBodyBytes, this.config.ingest.bodyTimeoutSeconds);
        this.ingest.importText(body, cluster, Date.now());
      });
    });
  }
}
