import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MetricsController } from './metrics.controller.js';

import { METRICS_REGISTRY } from './metrics.tokens.js';
export { METRICS_REGISTRY };

// One registry per application instance, injected where metrics are defined: tests can
// start several apps in one process without series colliding in a global registry.
@Global()
@Module({
  providers: [
    {
      provide: METRICS_REGISTRY,
      useFactory: () => {
        const registry = new Registry();
        // prom-client's standard names (process_resident_memory_bytes, nodejs_eventloop_lag_seconds,
        // nodejs_gc_duration_seconds…), so stock Node.js dashboards and alerts apply unchanged
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
  ],
  controllers: [MetricsController],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
