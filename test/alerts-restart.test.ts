import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import type { AnalysisResult, Finding } from '../src/analysis/analysis.types.js';
import { AlertsService } from '../src/alerts/alerts.service.js';
import type { AlertView } from '../src/alerts/alert.types.js';
import { createApp } from '../src/app.factory.js';
import type { AppConfig } from '../src/config/config.schema.js';
import { createTestDatabase, testConfig, type TestDatabase } from './support/test-config.js';

const STEP = 15_000;
const T0 = Date.parse('2024-12-11T23:23:00Z');

const overload: Finding = {
  alertName: 'ControlPlaneOverload',
  severity: 'critical',
  key: 'ControlPlaneOverload||prod-x',
  rolloutId: null,
  wave: null,
  clusters: ['prod-x'],
  onsetMs: T0 - STEP,
  timeToImpactSeconds: null,
  figures: { busySeats: 700, capacitySeats: 600, utilization: 1.17 },
  summary: 'API server of prod-x is overloaded',
  description: 'busy seats 700 of 600',
};
const cluster = { cluster: 'prod-x', nodes: 500, capacitySeats: 600, busySeats: null, utilization: null, lastSampleMs: null, dns: null };
/** an evaluation; `dark`: prod-x had no recent API-server point (unknown, not clear) */
const result = (evaluatedAt: number, findings: Finding[], dark = false): AnalysisResult => ({
  evaluatedAt,
  findings,
  rollouts: [],
  clusters: [cluster],
  unobserved: { controlPlane: dark ? ['prod-x'] : [], dns: [] },
});

async function start(config: AppConfig): Promise<{ app: INestApplication; url: string; alerts: AlertsService }> {
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), alerts: app.get(AlertsService) };
}
const list = async (url: string): Promise<AlertView[]> => (await (await fetch(`${url}/api/v1/alerts?state=all`)).json()) as AlertView[];

// Alert state lives in PostgreSQL: a restart keeps the firing alert (same id, no second
// notification). It resolves only on evidence: steps at which its cluster is dark do not count.
describe('alerts across a restart', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: INestApplication | undefined;

  before(async () => {
    db = await createTestDatabase();
    const dataDir = db.url ? undefined : mkdtempSync(join(tmpdir(), 'wavewatch-alerts-pglite-'));
    config = testConfig({ DATABASE_URL: db.url, WAVEWATCH_DATA_DIR: dataDir });
  });
  after(async () => {
    await app?.close();
    await db.drop();
  });

  it('keeps a firing alert, holds it open while its cluster is dark, and resolves it on clear evidence', async () => {
    const first = await start(config);
    app = first.app;
    const fired = await first.alerts.apply(result(T0, [overload]));
    assert.deepEqual(fired.map((t) => t.transition), ['firing']);
    const before = await list(first.url);
    assert.equal(before.length, 1);
    assert.equal(before[0]?.state, 'firing');
    assert.equal(before[0]?.startsAt, new Date(T0 - STEP).toISOString());
    await first.app.close();
    app = undefined;

    const second = await start(config);
    app = second.app;
    const restored = await list(second.url);
    assert.deepEqual(restored.map((a) => [a.id, a.state]), [[before[0].id, 'firing']]);

    for (let i = 1; i <= 8; i++) assert.deepEqual(await second.alerts.apply(result(T0 + i * STEP, [], true)), []);
    assert.equal((await list(second.url))[0]?.state, 'firing', 'not resolved while its cluster is dark');

    assert.deepEqual(await second.alerts.apply(result(T0 + 9 * STEP, [overload])), [], 'seen again: same alert, no new transition');
    const transitions: string[] = [];
    // clear steps until it has fired analysis.minFiringSeconds (300 s) and stayed clear resolveAfterSteps
    for (let i = 10; i <= 30; i++) transitions.push(...(await second.alerts.apply(result(T0 + i * STEP, []))).map((t) => t.transition));
    assert.deepEqual(transitions, ['resolved'], 'observed clear: it resolves by the usual rule');
    const after = await list(second.url);
    assert.equal(after.length, 1);
    assert.equal(after[0]?.id, before[0]?.id);
    assert.equal(after[0]?.state, 'resolved');
    assert.equal(after[0]?.endsAt, new Date(T0 + 9 * STEP).toISOString());
  });
});
