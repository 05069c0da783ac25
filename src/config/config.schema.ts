import { z } from 'zod';

// One validated configuration object. Keys are camelCase in the YAML file; environment
// variables (see load-config.ts) override the file.

const signalDefinition = z.object({
  name: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_]*$/),
  kind: z.enum(['counter_rate', 'counter_ratio', 'gauge_sum', 'gauge_max', 'histogram_p99']),
  metrics: z.array(z.string().min(1)).min(1),
  matchers: z.record(z.string(), z.string()).optional(),
  denominatorMetrics: z.array(z.string().min(1)).optional(),
  denominatorMatchers: z.record(z.string(), z.string()).optional(),
  quantile: z.number().gt(0).lt(1).optional(),
});

const clusterOverride = z.object({
  nodes: z.number().int().positive().optional(),
  capacitySeats: z.number().positive().optional(),
  cacheTtlSeconds: z.number().positive().optional(),
});

const route = z.object({
  channel: z.enum(['slack', 'alertmanager', 'webhook']),
  url: z.url(),
  matchAlertnames: z.array(z.string()).optional(),
  matchSeverities: z.array(z.enum(['warning', 'critical'])).optional(),
  matchLabels: z.record(z.string(), z.string()).optional(),
  groupWaitSeconds: z.number().min(0).default(0),
  repeatIntervalSeconds: z.number().min(0).default(4 * 3600),
  sendResolved: z.boolean().default(true),
});

export const configSchema = z.object({
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  logFormat: z.enum(['json', 'text']).default('json'),
  databaseUrl: z.string().optional(),
  dataDir: z.string().optional(),
  redisUrl: z.string().optional(),
  apiTokens: z.array(z.string().min(16)).default([]),
  ingest: z
    .object({
      clusterLabel: z.string().min(1).default('cluster'),
      maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024),
      maxDecompressedBytes: z.number().int().positive().default(32 * 1024 * 1024),
      maxSeriesPerRequest: z.number().int().positive().default(100_000),
      maxLabelsPerSeries: z.number().int().positive().default(64),
      maxLabelNameBytes: z.number().int().positive().default(256),
      maxLabelValueBytes: z.number().int().positive().default(4096),
      maxActiveSeries: z.number().int().positive().default(2_000_000),
      maxInflightRequests: z.number().int().positive().default(64),
    })
    .prefault({}),
  signals: z
    .object({
      stepSeconds: z.number().int().min(1).max(300).default(15),
      windowSeconds: z.number().int().min(300).max(7 * 24 * 3600).default(3 * 3600),
      definitions: z.array(signalDefinition).default([]),
    })
    .prefault({}),
  events: z
    .object({
      maxEventsPerRequest: z.number().int().positive().default(1000),
      maxClustersPerEvent: z.number().int().positive().default(10_000),
      maxFieldLength: z.number().int().positive().default(256),
      maxBodyBytes: z.number().int().positive().default(5 * 1024 * 1024),
      maxWavesPerPlan: z.number().int().positive().default(1000),
    })
    .prefault({}),
  ops: z
    .object({
      // each readiness dependency check is raced against this
      readinessTimeoutMs: z.number().int().positive().default(2000),
    })
    .prefault({}),
  analysis: z
    .object({
      defaultCapacitySeats: z.number().positive().default(600),
      headroom: z.number().gt(0).lte(1).default(0.8),
      cacheTtlSeconds: z.number().positive().default(1200),
      dnsVisibleThreshold: z.number().gt(0).lt(1).default(0.01),
      resolveAfterSteps: z.number().int().min(1).default(4),
      // an alert stays firing at least this long (event time from its start) before it may resolve
      minFiringSeconds: z.number().min(0).default(300),
      // rollback deadline: a saturated API server is projected to stop serving after this long
      collapseAfterSeconds: z.number().positive().default(300),
      pendingSteps: z.number().int().min(0).default(0),
      telemetryLostAfterSeconds: z.number().positive().default(90),
    })
    .prefault({}),
  clusters: z.record(z.string(), clusterOverride).default({}),
  notify: z
    .object({
      grafanaUrl: z.url().optional(),
      runbookUrl: z.url().optional(),
      // wavewatch's own base URL, for generatorURL / externalURL in Alertmanager payloads.
      externalUrl: z.url().optional(),
      routes: z.array(route).default([]),
      // Alertmanager forgets alerts it does not hear about again: resend firing ones this often.
      alertmanagerResendSeconds: z.number().min(1).default(60),
      maxAttempts: z.number().int().min(1).default(20),
      retryBaseMs: z.number().int().min(1).default(1000),
      retryMaxMs: z.number().int().min(1).default(5 * 60 * 1000),
      requestTimeoutMs: z.number().int().min(100).default(10_000),
      // Slack accepts about one message per second per incoming webhook.
      slackMinIntervalMs: z.number().int().min(0).default(1000),
      relayIntervalMs: z.number().int().min(10).default(1000),
      concurrency: z.number().int().min(1).max(64).default(4),
      retentionHours: z.number().min(1).default(7 * 24),
      // Redis key prefix of the notification queue: deployments sharing a Redis need their own.
      queuePrefix: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('wavewatch'),
    })
    .prefault({}),
});

export type AppConfig = z.infer<typeof configSchema>;
export type SignalDefinitionConfig = z.infer<typeof signalDefinition>;
export type NotifyRouteConfig = z.infer<typeof route>;
