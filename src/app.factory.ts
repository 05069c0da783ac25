import 'reflect-metadata';
import { ConsoleLogger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { protectedModeRefusal } from './auth/protected-mode.js';
import type { AppConfig } from './config/config.schema.js';
import { ConfigError } from './config/load-config.js';

const levels: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function makeLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): ConsoleLogger {
  const upTo = levels.indexOf(config.logLevel);
  return new ConsoleLogger({ json: config.logFormat === 'json', logLevels: levels.slice(0, upTo + 1), colors: false });
}

// Builds the application without listening, for main.ts and for tests alike.
// Refuses (protected mode) before anything starts when config.host is open without a token;
// main.ts listens on config.host.
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const refusal = protectedModeRefusal(config, config.host);
  if (refusal !== undefined) throw new ConfigError(refusal);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: makeLogger(config),
    // Ingest and event routes parse their own bodies with their own limits.
    bodyParser: false,
  });
  app.enableShutdownHooks();
  app.set('x-powered-by', false);
  return app;
}
