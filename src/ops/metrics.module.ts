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
        collectDefaultMetrics({ register: registry, prefix: 'wavewatch_process_' });
        return registry;
      },
    },
  ],
  controllers: [MetricsController],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
