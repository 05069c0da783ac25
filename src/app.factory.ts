import 'reflect-metadata';
import { ConsoleLogger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/config.schema.js';

const levels: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function makeLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): ConsoleLogger {
  const upTo = levels.indexOf(config.logLevel);
  return new ConsoleLogger({ json: config.logFormat === 'json', logLevels: levels.slice(0, upTo + 1), colors: false });
}

// Builds the application without listening, for main.ts and for tests alike.
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: makeLogger(config),
    // Ingest and event routes parse their own bodies with their own limits.
    bodyParser: false,
  });
  app.enableShutdownHooks();
  app.set('x-powered-by', false);
  return app;
}
