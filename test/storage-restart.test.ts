import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createApp } from '../src/app.factory.js';
import type { RolloutView } from '../src/rollouts/rollout-view.js';
import { getJson, postEvents } from './support/events-client.js';
import { createTestDatabase, testConfig } from './support/test-config.js';

// Starts the service, runs `work` against it, closes it: twice on the same storage shows
// what survives a restart.
async function withService(env: Record<string, string | undefined>, work: (url: string) => Promise<void>): Promise<void> {
  const app = await createApp(testConfig({ REDIS_URL: undefined, ...env }));
  await app.listen(0, '127.0.0.1');
  try {
    await work((await app.getUrl()).replace('[::1]', '127.0.0.1'));
  } finally {
    await app.close();
  }
}

async function survivesRestart(env: Record<string, string | undefined>): Promise<void> {
  const event = { eventId: 'restart-1', type: 'wave_started', rolloutId: 'durable', wave: 'w1', clusters: ['a'], at: '2024-12-11T22:00:00Z' };
  await withService(env, async (url) => {
    assert.equal((await postEvents(url, event)).body.accepted, 1);
  });
  await withService(env, async (url) => {
    const state = await getJson<RolloutView>(`${url}/api/v1/rollouts/durable`);
    assert.equal(state.status, 200);
    assert.deepEqual(state.body.waves.map((w) => [w.wave, w.clusters, w.startedAt]), [['w1', ['a'], '2024-12-11T22:00:00.000Z']]);
    // the idempotency key survives too
    assert.deepEqual((await postEvents(url, event)).body, { accepted: 0, duplicates: 1, rollouts: ['durable'] });
  });
}

describe('restart', () => {
  it('keeps events in a PGlite data dir (WAVEWATCH_DATA_DIR)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ww-pglite-'));
    try {
      await survivesRestart({ DATABASE_URL: undefined, WAVEWATCH_DATA_DIR: dataDir });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps events in PostgreSQL', async (t) => {
    if (!process.env.DATABASE_URL) {
      t.skip('DATABASE_URL is not set: no PostgreSQL server to restart against');
      return;
    }
    const db = await createTestDatabase();
    try {
      await survivesRestart({ DATABASE_URL: db.url });
    } finally {
      await db.drop();
    }
  });
});
