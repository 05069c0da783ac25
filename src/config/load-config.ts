import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AUTH_SCOPES, MIN_TOKEN_LENGTH } from './auth-config.schema.js';
import { configSchema, type AppConfig } from './config.schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

// Environment variables that override file keys. Numbers and lists are parsed here so that
// the schema sees typed values and its error names the key.
const envKeys: ReadonlyArray<[string, string[], 'string' | 'number' | 'list']> = [
  ['PORT', ['port'], 'number'],
  ['HOST', ['host'], 'string'],
  ['LOG_LEVEL', ['logLevel'], 'string'],
  ['LOG_FORMAT', ['logFormat'], 'string'],
  ['DATABASE_URL', ['databaseUrl'], 'string'],
  ['WAVEWATCH_DATA_DIR', ['dataDir'], 'string'],
  ['REDIS_URL', ['redisUrl'], 'string'],
  ['WAVEWATCH_AUTH', ['auth', 'mode'], 'string'],
  ['WAVEWATCH_CLUSTER_LABEL', ['ingest', 'clusterLabel'], 'string'],
  ['WAVEWATCH_STEP_SECONDS', ['signals', 'stepSeconds'], 'number'],
  ['WAVEWATCH_WINDOW_SECONDS', ['signals', 'windowSeconds'], 'number'],
  ['WAVEWATCH_GRAFANA_URL', ['notify', 'grafanaUrl'], 'string'],
  ['WAVEWATCH_RUNBOOK_URL', ['notify', 'runbookUrl'], 'string'],
  ['WAVEWATCH_GRAFANA_API_URL', ['notify', 'grafana', 'url'], 'string'],
  ['WAVEWATCH_GRAFANA_TOKEN', ['notify', 'grafana', 'token'], 'string'],
  ['WAVEWATCH_REPLICA_ID', ['replicas', 'id'], 'string'],
  ['WAVEWATCH_LEADER_POLL_SECONDS', ['replicas', 'leaderPollSeconds'], 'number'],
];

const shortcutChannels: ReadonlyArray<[string, 'slack' | 'alertmanager' | 'webhook']> = [
  ['WAVEWATCH_SLACK_WEBHOOK_URL', 'slack'],
  ['WAVEWATCH_ALERTMANAGER_URL', 'alertmanager'],
  ['WAVEWATCH_WEBHOOK_URL', 'webhook'],
];

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`WAVEWATCH_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`WAVEWATCH_CONFIG: ${path} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`WAVEWATCH_CONFIG: ${path} must hold a mapping at the top level`);
  }
  return parsed as Record<string, unknown>;
}

// WAVEWATCH_API_TOKENS (comma-separated) adds tokens with every scope, named env-1, env-2, …
function addEnvTokens(raw: Record<string, unknown>, list: string | undefined): void {
  const secrets = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (secrets.length === 0) return;
  const short = secrets.findIndex((s) => s.length < MIN_TOKEN_LENGTH);
  if (short >= 0) throw new ConfigError(`WAVEWATCH_API_TOKENS: token ${short + 1} has fewer than ${MIN_TOKEN_LENGTH} characters`);
  const auth = (raw.auth ??= {}) as Record<string, unknown>;
  // a malformed file value is left for the schema to name
  if (typeof auth !== 'object' || auth === null || Array.isArray(auth)) return;
  const tokens = (auth.tokens ??= []) as unknown[];
  if (!Array.isArray(tokens)) return;
  secrets.forEach((token, i) => tokens.push({ name: `env-${i + 1}`, token, scopes: [...AUTH_SCOPES] }));
}

export function loadConfig(env: Env): AppConfig {
  const raw: Record<string, unknown> = env.WAVEWATCH_CONFIG ? readFile(env.WAVEWATCH_CONFIG) : {};
  for (const [name, path, type] of envKeys) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new ConfigError(`${name}: expected a number, got "${value}"`);
      setPath(raw, path, n);
    } else if (type === 'list') {
      setPath(raw, path, value.split(',').map((s) => s.trim()).filter(Boolean));
    } else {
      setPath(raw, path, value);
    }
  }
  for (const [name, channel] of shortcutChannels) {
    const url = env[name];
    if (!url) continue;
    const notify = (raw.notify ??= {}) as Record<string, unknown>;
    const routes = (notify.routes ??= []) as unknown[];
    routes.push({ channel, url });
  }
  addEnvTokens(raw, env.WAVEWATCH_API_TOKENS);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path.join('.') || '(root)';
    throw new ConfigError(`invalid configuration at "${key}": ${issue?.message ?? z.prettifyError(result.error)}`);
  }
  return result.data;
}
