import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { readBody } from '../common/read-body.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { IngestMetrics, type IngestProtocol } from './ingest.metrics.js';
import { IngestService } from './ingest.service.js';
import { rejectionReason } from './rejection-reason.js';
import { remoteWriteVersion } from './remote-write-protocol.js';

// What POST /api/v1/write does once the caller is authorised, on Node's own request and
// response: the fast lane (remote-write.lane.ts) and the controller both call it, so the
// route answers the same whichever serves it. Failures are thrown as DomainErrors for the
// caller to answer; success is a 204 the caller sends.
@Injectable()
export class RemoteWriteEndpoint {
  constructor(
    private readonly ingest: IngestService,
    private readonly metrics: IngestMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async write(req: IncomingMessage, res: ServerResponse): Promise<void> {
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

  /** Counts every response once it is sent, whatever path produced it. */
  track(res: ServerResponse): { protocol: IngestProtocol } {
    const request: { protocol: IngestProtocol } = { protocol: 'unknown' };
    res.on('finish', () => this.metrics.requests.inc({ protocol: request.protocol, code: String(res.statusCode) }));
    return request;
  }

  /** runs an ingest request's work, counting a refusal by reason */
  async guard(res: ServerResponse, work: () => Promise<void>): Promise<void> {
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
