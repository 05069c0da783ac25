import { Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { SignalsModule } from '../signals/signals.module.js';
import { IngestController } from './ingest.controller.js';
import { IngestMetrics } from './ingest.metrics.js';
import { IngestService } from './ingest.service.js';
import { RemoteWriteEndpoint } from './remote-write.endpoint.js';
import { RemoteWriteLane } from './remote-write.lane.js';
import { AuthModule } from '../auth/auth.module.js';

// POST /api/v1/write (remote_write 1.0/2.0) and /api/v1/import/prometheus (text format);
// decoded series go to the signal store's SERIES_SINK. remote_write's route is served by a
// fast lane ahead of the framework (remote-write.lane.ts).
@Module({
  imports: [SignalsModule, AuthModule],
  controllers: [IngestController],
  providers: [
    IngestService,
    RemoteWriteEndpoint,
    RemoteWriteLane,
    { provide: IngestMetrics, useFactory: (registry: Registry) => new IngestMetrics(registry), inject: [METRICS_REGISTRY] },
  ],
})
export class IngestModule {}
