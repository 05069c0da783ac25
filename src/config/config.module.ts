import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config.schema.js';

import { APP_CONFIG } from './config.tokens.js';
export { APP_CONFIG };

// The validated configuration is built once in main.ts (or by a test) and handed in here;
// nothing else reads process.env.
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
