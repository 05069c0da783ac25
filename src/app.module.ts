import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DomainErrorFilter } from './common/domain-error.filter.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.schema.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { EvaluationModule } from './evaluation/evaluation.module.js';
import { GateModule } from './gate/gate.module.js';
import { HealthModule } from './ops/health.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { NotifyModule } from './notify/notify.module.js';
import { MetricsModule } from './ops/metrics.module.js';
import { ReplicasModule } from './replicas/replicas.module.js';
import { RolloutsModule } from './rollouts/rollouts.module.js';
import { IntegrationsModule } from './rollouts/integrations/integrations.module.js';
import { SignalsModule } from './signals/signals.module.js';
import { PrometheusPullModule } from './sources/prometheus/prometheus-pull.module.js';
import { StorageModule } from './storage/storage.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, AuthModule, StorageModule.forRoot(config), ReplicasModule, HealthModule, RolloutsModule, NotifyModule, SignalsModule, IngestModule, AlertsModule, EvaluationModule, GateModule, IntegrationsModule, WebModule, PrometheusPullModule],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }
}
