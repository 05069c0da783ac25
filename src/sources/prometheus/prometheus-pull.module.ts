import { Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../ops/metrics.tokens.js';
import { SignalsModule } from '../../signals/signals.module.js';
import { PrometheusPullService } from './prometheus-pull.service.js';
import { PullMetrics } from './pull.metrics.js';

// sources.prometheus: pull mode beside (or instead of) remote_write ingest; idle when not configured.
@Module({
  imports: [SignalsModule],
  providers: [PrometheusPullService, { provide: PullMetrics, useFactory: (registry: Registry) => new PullMetrics(registry), inject: [METRICS_REGISTRY] }],
  exports: [PrometheusPullService],
})
export class PrometheusPullModule {}
