import { Controller, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { badRequest, DomainError } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { IngestMetrics, type IngestProtocol } from './ingest.metrics.js';
import { IngestService } from './ingest.service.js';
import { rejectionReason } from './rejection-reason.js';
import { remoteWriteVersion } from './remote-write-protocol.js';
import { readBody } from '../common/read-body.js';
import { Scope } from '../auth/scope.decorator.js';

@Controller('api/v1')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly metrics: IngestMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('write')
  @Scope('metrics:write')
  @HttpCode(204)
  async write(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const request = this.track(res);
    await this.guard(res, async () => {
      const version = remoteWriteVersion(req.headers['content-type'], req.headers['content-encoding']);
      request.protocol = version;
      const written = await this.ingest.admit(async () => {
        const body = await readBody(req, this.config.ingest.maxBodyBytes, this.config.ingest.bodyTimeoutSeconds);
        return this.ingest.remoteWrite(version, body, Date.now());
      });
      if (version === 'remote_write_v2') {
        res.setHeader('X-Prometheus-Remote-Write-Samples-Written', String(written.samplesWritten));
        res.setHeader('X-Prometheus-Remote-Write-Histograms-Written', String(written.histogramsWritten));
        res.setHeader('X-Prometheus-Remote-Write-Exemplars-Written', String(written.exemplarsWritten));
      }
    });
  }

  @Post('import/prometheus')
  @Scope('metrics:write')
  @HttpCode(204)
  async importText(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query('cluster') cluster: unknown): Promise<void> {
    const request = this.track(res);
    request.protocol = 'text';
    await this.guard(res, async () => {
      if (cluster !== undefined && (typeof cluster !== 'string' || cluster === '')) throw badRequest('cluster must be one non-empty string');
      await this.ingest.admit(async () => {
        const body = await readBody(req, this.config.ingest.maxBodyBytes, this.config.ingest.bodyTimeoutSeconds);
        this.ingest.importText(body, cluster, Date.now());
      });
    });
  }

  // Counts every response once it is sent, whatever path produced it.
  private track(res: Response): { protocol: IngestProtocol } {
    const request: { protocol: IngestProtocol } = { protocol: 'unknown' };
    res.on('finish', () => this.metrics.requests.inc({ protocol: request.protocol, code: String(res.statusCode) }));
    return request;
  }

  private async guard(res: Response, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const reason = rejectionReason(error);
      if (reason !== undefined) this.metrics.rejections.inc({ reason });
      // The unread rest of an oversized body is not worth keeping the connection for.
      // A body still trickling after the timeout is not worth waiting for either.
      if (error instanceof DomainError && (error.code === 'payload_too_large' || error.code === 'request_timeout')) res.setHeader('Connection', 'close');
      throw error;
    }
  }
}
