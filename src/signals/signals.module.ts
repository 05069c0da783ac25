import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens.js';
import type { AppConfig } from '../config/config.schema.js';
import { ClustersController } from './clusters.controller.js';
import { SignalMetrics } from './signal-metrics.js';
import { SignalStore } from './signal-store.js';
import { signalStoreOptions } from './signal-store.options.js';
import { SERIES_SINK, SIGNAL_READER } from './signals.tokens.js';

// One store per application: ingest writes through SERIES_SINK, the analysis and the API
// read through SIGNAL_READER.
@Module({
  providers: [
    { provide: SignalStore, useFactory: (config: AppConfig) => new SignalStore(signalStoreOptions(config)), inject: [APP_CONFIG] },
    { provide: SERIES_SINK, useExisting: SignalStore },
    { provide: SIGNAL_READER, useExisting: SignalStore },
    SignalMetrics,
  ],
  controllers: [ClustersController],
  exports: [SERIES_SINK, SIGNAL_READER, SignalStore],
})
export class SignalsModule {}
