import { Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.tokens.js';
import { SignalsModule } from '../signals/signals.module.js';
import { IngestController } from './ingest.controller.js';
import { IngestMetrics } from './ingest.metrics.js';
import { IngestService } from './ingest.service.js';

// POST /api/v1/write (remote_write 1.0/2.0) and /api/v1/import/prometheus (text format);
// decoded series go to the signal store's SERIES_SINK.
@Module({
  imports: [SignalsModule],
  controllers: [IngestController],
  providers: [
    IngestService,
    { provide: IngestMetrics, useFactory: (registry: Registry) => new IngestMetrics(registry), inject: [METRICS_REGISTRY] },
  ],
})
export class IngestModule {}
