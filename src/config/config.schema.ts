import { z } from 'zod';
import { authConfig } from './auth-config.schema.js';

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
  // Alertmanager's model: alerts with equal values of these keys share one message (slack, webhook).
  groupBy: z
    .array(z.union([z.literal('...'), z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)]))
    .max(32)
    .default(['alertname', 'rolloutId']),
  // a changed group sends its update no sooner than this after its previous message
  groupIntervalSeconds: z.number().min(0).default(300),
  repeatIntervalSeconds: z.number().min(0).default(4 * 3600),
  sendResolved: z.boolean().default(true),
});

const grafanaApi = z
  .object({
    url: z.url(),
    token: z.string().min(1).optional(),
    tokenFile: z.string().min(1).optional(),
    dashboardUid: z.string().min(1).max(40).optional(),
    tags: z.array(z.string().min(1).max(64)).max(10).default(['wavewatch']),
  })
  .refine((g) => g.token !== undefined || g.tokenFile !== undefined, { message: 'needs token or tokenFile' });

// Pull mode: wavewatch queries a Prometheus-compatible store (Prometheus, Thanos, Mimir,
// VictoriaMetrics) for per-cluster aggregates instead of, or beside, receiving remote_write.
export const prometheusSource = z
  .object({
    url: z.url(),
    bearerToken: z.string().min(1).optional(),
    bearerTokenFile: z.string().min(1).optional(),
    basicAuth: z
      .object({ username: z.string().min(1), password: z.string().optional(), passwordFile: z.string().min(1).optional() })
      .refine((b) => (b.password === undefined) !== (b.passwordFile === undefined), 'give exactly one of password and passwordFile')
      .optional(),
    // e.g. X-Scope-OrgID for a Mimir/Cortex tenant
    headers: z.record(z.string(), z.string()).default({}),
    // how often new steps are queried (default signals.stepSeconds); points always have the store's step
    stepSeconds: z.number().int().min(1).max(300).optional(),
    // rate() window, at least twice the longest scrape interval (default 2 × signals.stepSeconds)
    rateWindowSeconds: z.number().int().min(1).max(3600).optional(),
    queryTimeoutSeconds: z.number().min(1).max(300).default(20),
    maxParallelQueries: z.number().int().min(1).max(64).default(4),
    maxAttempts: z.number().int().min(1).max(20).default(4),
    retryBaseMs: z.number().int().min(1).default(500),
    // history fetched at start (default signals.windowSeconds)
    lookbackSeconds: z.number().int().min(60).optional(),
    // newest data queried is this old: the store's ingestion delay (VictoriaMetrics' -search.latencyOffset is 30 s)
    delaySeconds: z.number().int().min(0).max(600).default(30),
    // cluster × step points held per query batch: bounds memory during backfill
    maxBatchPoints: z.number().int().min(1000).default(50_000),
    // read `npm run rules` series when the store has them: auto (when present), always, never
    recordingRules: z.enum(['auto', 'always', 'never']).default('auto'),
  })
  .refine((p) => !(p.bearerToken && p.bearerTokenFile), 'give at most one of bearerToken and bearerTokenFile')
  .refine((p) => !((p.bearerToken || p.bearerTokenFile) && p.basicAuth), 'bearer and basic auth exclude each other');

// Sizes of the embedded PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly, run in this
// process). Its memory is one WebAssembly.Memory that can grow but never shrinks, so every
// size below is paid for good once touched; and without a data dir its files (tables, WAL)
// are JS buffers in memory too. PostgreSQL's server defaults (shared_buffers 128 MB,
// max_wal_size 1 GB) size a database server, and cost 810 MB resident at idle here; these
// size a sidecar. PGlite's module itself declares 128 MB of initial memory (it refuses less),
// of which only the touched pages are resident. Its ceiling is 2 GB (32768 pages): the upper
// bounds keep the sum of these sizes below it.
const embeddedStorage = z
  .object({
    // Page cache. Resident from the start: PostgreSQL touches all of it (128 MB cost 150 MB of
    // RSS at idle, 16 MB 29 MB, 8 MB 21 MB of Wasm memory). wavewatch reads little back (open
    // alerts, recent deploy events, signal points at start); a page that misses the cache is
    // read from memory without a data dir and from the OS page cache with one.
    sharedBuffersMb: z.number().int().min(1).max(512).default(8),
    // Per sort or hash of one query, allocated while it runs; the Wasm memory keeps its high
    // mark. wavewatch's queries sort by an index or a few rows.
    workMemMb: z.number().int().min(1).max(256).default(2),
    // Index builds (migrations) and VACUUM: same high-mark rule as workMemMb.
    maintenanceWorkMemMb: z.number().int().min(1).max(256).default(16),
    // WAL kept before a checkpoint. PGlite runs PostgreSQL single-user, without a checkpointer
    // on a timer: the WAL grows to this size before it is recycled, and without a data dir it
    // is held in memory. Lower = more frequent checkpoints (each writes the dirty pages).
    // At least 32: twice a 16 MB segment, which data dirs made before these settings have.
    maxWalSizeMb: z.number().int().min(32).max(4096).default(32),
    // PGlite has no autovacuum: the pool runs VACUUM this often, else deleted rows' space is
    // never reused and tables grow for ever (see pglite-pool.ts). A few ms on a small database.
    vacuumIntervalSeconds: z.number().int().min(10).max(86_400).default(300),
    // true: V8 also compiles PostgreSQL's hot code with its optimizing compiler, as it does by
    // default; costs 45-55 MB resident for good (the compiler's memory), and wavewatch's
    // queries measured no faster. false: the baseline compiler only (--liftoff-only).
    optimizeWasm: z.boolean().default(false),
  })
  .prefault({});

export const configSchema = z.object({
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  logFormat: z.enum(['json', 'text']).default('json'),
  databaseUrl: z.string().optional(),
  dataDir: z.string().optional(),
  // embedded PGlite's memory sizes (no DATABASE_URL)
  storage: z.object({ embedded: embeddedStorage }).prefault({}),
  redisUrl: z.string().optional(),
  auth: authConfig.prefault({}),
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
      // samples further ahead of the receive time are dropped and counted (history of any age is fine)
      maxFutureSeconds: z.number().min(0).default(600),
      // clusters with signal windows; samples of further new clusters are dropped and counted
      maxClusters: z.number().int().positive().default(10_000),
      // HA Prometheus pairs: left out of series identity, so the second replica's samples are out of order
      replicaLabels: z.array(z.string().min(1)).default(['prometheus_replica', '__replica__']),
      // distinct `le` bounds per histogram signal term; further bucket series are dropped and counted
      maxHistogramBuckets: z.number().int().positive().default(128),
      // text import: longer lines are dropped and counted
      maxLineBytes: z.number().int().positive().default(512 * 1024),
      // a request body not complete after this long gets 408 and the connection is closed
      bodyTimeoutSeconds: z.number().positive().default(60),
      // remote_write 1.0 decoding (snappy, protobuf, filter) in this many worker threads; 0 = on the main thread
      workerThreads: z.number().int().min(0).max(64).default(0),
      // label bytes the remote_write decoder caches (per decoding thread); full, it starts over and counts a reset
      labelCacheMaxBytes: z.number().int().min(1024 * 1024).default(128 * 1024 * 1024),
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
      // distinct clusters one wave of one rollout may hold (plan plus every event naming it)
      maxClustersPerWave: z.number().int().positive().default(10_000),
    })
    .prefault({}),
  // Native deploy-tool adapters (src/rollouts/integrations): where each tool's payload keeps
  // the rollout, wave and cluster. Teams name these differently, hence configurable.
  integrations: z
    .object({
      // body cap of the adapters and of POST /gate|/health (whose bodies are ignored)
      maxBodyBytes: z.number().int().positive().default(1024 * 1024),
      argo: z
        .object({
          // label or annotation keys on the Application / Rollout
          rolloutKey: z.string().min(1).default('wavewatch.io/rollout'),
          waveKey: z.string().min(1).default('wavewatch.io/wave'),
          clusterKey: z.string().min(1).default('wavewatch.io/cluster'),
        })
        .prefault({}),
      flagger: z
        .object({
          // keys of the webhook's metadata map
          rolloutKey: z.string().min(1).default('rolloutId'),
          waveKey: z.string().min(1).default('wave'),
          clusterKey: z.string().min(1).default('cluster'),
        })
        .prefault({}),
      github: z
        .object({
          // HMAC secret of the webhook; unset = every delivery is refused (401)
          secret: z.string().min(1).optional(),
          // key under deployment.payload holding { rolloutId, clusters, wave }
          payloadKey: z.string().min(1).default('wavewatch'),
        })
        .prefault({}),
      spinnaker: z
        .object({
          // pipeline trigger parameter naming the rollout (else spinnaker-<executionId>)
          rolloutParameter: z.string().min(1).default('wavewatchRollout'),
          versionParameter: z.string().min(1).default('version'),
          // stage context keys; only stages carrying waveKey are deploy steps of a wave
          waveKey: z.string().min(1).default('wavewatchWave'),
          clustersKey: z.string().min(1).default('wavewatchClusters'),
        })
        .prefault({}),
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
  sources: z.object({ prometheus: prometheusSource.optional() }).prefault({}),
  notify: z
    .object({
      grafanaUrl: z.url().optional(),
      runbookUrl: z.url().optional(),
      // wavewatch's own base URL, for generatorURL / externalURL in Alertmanager payloads.
      externalUrl: z.url().optional(),
      routes: z.array(route).default([]),
      // Grafana HTTP API for annotations (grafanaUrl above stays the dashboard link base).
      grafana: grafanaApi.optional(),
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
  // Several processes on one PostgreSQL database (README "Running at scale"): one leader
  // (advisory lock) evaluates, raises alerts, relays notifications and pulls; all ingest and answer.
  replicas: z
    .object({
      // this process's name in logs, /api/v1/evaluation and signal_points.writer (default host-pid)
      id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
      // a follower tries to take the lead, and the leader checks its lock session, this often
      leaderPollSeconds: z.number().min(0.2).max(60).default(5),
    })
    .prefault({}),
  // The rollout page (src/web) and the per-cluster gauges Grafana reads.
  web: z
    .object({
      // verdict history and projected DNS per cluster are kept in memory for this many of each
      historyClusters: z.number().int().positive().default(500),
      historyRollouts: z.number().int().positive().default(200),
      verdictChangesPerRollout: z.number().int().positive().default(1000),
      // small multiples on one page; the rest are listed, not drawn
      maxChartClusters: z.number().int().positive().default(60),
      pollSeconds: z.number().int().min(1).default(5),
      // per-cluster wavewatch_* gauges: clusters of active rollouts first, then the riskiest, up to this many
      metricsClusters: z.number().int().positive().default(100),
    })
    .prefault({}),
});

export type AppConfig = z.infer<typeof configSchema>;
export type SignalDefinitionConfig = z.infer<typeof signalDefinition>;
export type NotifyRouteConfig = z.infer<typeof route>;
export type PrometheusSourceConfig = z.infer<typeof prometheusSource>;
