import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { stringify } from 'yaml';
import type { AlertTransition, AlertView } from '../../src/alerts/alert.types.js';
import { createApp } from '../../src/app.factory.js';
import type { AppConfig } from '../../src/config/config.schema.js';
import { NotificationOutbox } from '../../src/notify/notification-outbox.js';
import { testConfig } from './test-config.js';

export function alertView(overrides: Partial<AlertView> = {}): AlertView {
  return {
    id: randomUUID(),
    fingerprint: randomBytes(8).toString('hex'),
    name: 'RolloutControlPlaneOverload',
    severity: 'critical',
    state: 'firing',
    startsAt: '2024-12-11T22:53:15.000Z',
    endsAt: null,
    rolloutId: 'telemetry-agent-2024-12-11',
    wave: 'wave-2',
    clusters: ['prod-a', 'prod-b'],
    timeToImpactSeconds: null,
    labels: {},
    annotations: {
      summary: 'API servers of wave-2 are overloaded since the wave started',
      description: 'Busy seats rose 6x in wave-2 clusters and not in control clusters.',
      runbook_url: 'control-plane-overload',
    },
    figures: { busySeats: 540, capacitySeats: 600, predictedUtilization: 2.4 },
    ...overrides,
  };
}

export function resolvedOf(alert: AlertView, endsAt = '2024-12-11T23:07:45.000Z'): AlertView {
  return { ...alert, state: 'resolved', endsAt };
}

export const transition = (alert: AlertView): AlertTransition => ({
  alert,
  transition: alert.state,
  atMs: Date.parse(alert.state === 'resolved' ? (alert.endsAt ?? alert.startsAt) : alert.startsAt),
});

/** Config as a YAML file (the path operators use), with test-friendly timings. */
export function notifyTestConfig(notify: Record<string, unknown>, env: Record<string, string | undefined> = {}): AppConfig {
  const dir = mkdtempSync(join(tmpdir(), 'wavewatch-notify-'));
  const file = join(dir, 'config.yaml');
  const defaults = { relayIntervalMs: 50, retryBaseMs: 100, retryMaxMs: 2000, slackMinIntervalMs: 100, queuePrefix: `t${randomBytes(6).toString('hex')}` };
  // A group's update may go as soon as its previous message is out (default: 5 minutes later).
  const routes = ((notify.routes ?? []) as Array<Record<string, unknown>>).map((r) => ({ groupIntervalSeconds: 0, ...r }));
  writeFileSync(file, stringify({ notify: { ...defaults, ...notify, routes } }));
  return testConfig({ WAVEWATCH_CONFIG: file, ...env });
}

export interface NotifyApp {
  app: INestApplication;
  url: string;
  enqueue(t: AlertTransition): Promise<number>;
  close(): Promise<void>;
}

export async function startNotifyApp(config: AppConfig): Promise<NotifyApp> {
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const outbox = app.get(NotificationOutbox);
  const db = app.get(DataSource);
  return {
    app,
    url,
    // As the alert lifecycle does it: inside the transaction that changes the alert.
    enqueue: (t) => db.transaction((manager) => outbox.enqueue(manager, t)),
    close: () => app.close(),
  };
}

export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface NotificationEntry {
  alertId: string;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  attemptLog: Array<{ attempt: number; outcome: string; httpStatus: number | null; error: string | null }>;
}

export async function notificationsOf(baseUrl: string, alertId: string): Promise<NotificationEntry[]> {
  const res = await fetch(`${baseUrl}/api/v1/notifications?alertId=${encodeURIComponent(alertId)}`);
  if (res.status !== 200) throw new Error(`GET notifications: ${res.status}`);
  return (await res.json()) as NotificationEntry[];
}
