import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import type { RolloutView } from '../src/rollouts/rollout-view.js';
import { getJson, postEvents } from './support/events-client.js';
import { startApp, type RunningApp } from './support/start-app.js';

// Small limits so that each one can be hit cheaply.
function limitsFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ww-events-')), 'wavewatch.yaml');
  writeFileSync(path, 'events:\n  maxEventsPerRequest: 5\n  maxClustersPerEvent: 3\n  maxFieldLength: 20\n  maxBodyBytes: 2048\n');
  return path;
}

const plan = [
  { wave: 'wave-1', clusters: ['small-a', 'small-b'] },
  { wave: 'wave-2', clusters: ['big-a'] },
];

describe('POST /api/v1/deploy-events', () => {
  let running: RunningApp;
  before(async () => {
    running = await startApp({ WAVEWATCH_CONFIG: limitsFile() });
  });
  after(async () => {
    await running.close();
  });

  it('accepts one event and derives the rollout with RFC 3339 times', async () => {
    const r = await postEvents(running.url, { type: 'rollout_started', rolloutId: 'single', service: 'agent', version: 'v1', plan, at: '2024-12-11T22:00:00Z' });
    assert.equal(r.status, 202);
    assert.deepEqual(r.body, { accepted: 1, duplicates: 0, rollouts: ['single'] });
    const got = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/single`);
    assert.equal(got.status, 200);
    assert.equal(got.body.startedAt, '2024-12-11T22:00:00.000Z');
    assert.equal(got.body.status, 'in_progress');
    assert.equal(got.body.service, 'agent');
    assert.deepEqual(got.body.waves.map((w) => [w.wave, w.status]), [['wave-1', 'planned'], ['wave-2', 'planned']]);
  });

  it('accepts an array touching several rollouts, starting unknown ones implicitly', async () => {
    const r = await postEvents(running.url, [
      { type: 'wave_started', rolloutId: 'single', wave: 'wave-1', at: '2024-12-11T22:01:00Z' },
      { type: 'wave_started', rolloutId: 'simple', wave: 'canary', clusters: ['prod-a'], at: '2024-12-11T22:02:00Z' },
    ]);
    assert.equal(r.status, 202);
    assert.deepEqual(r.body, { accepted: 2, duplicates: 0, rollouts: ['single', 'simple'] });
    const single = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/single`);
    assert.deepEqual(single.body.waves[0], { wave: 'wave-1', clusters: ['small-a', 'small-b'], status: 'in_progress', startedAt: '2024-12-11T22:01:00.000Z', completedAt: null, clusterStatus: { 'small-a': 'in_progress', 'small-b': 'in_progress' } });
    const simple = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/simple`);
    assert.equal(simple.body.status, 'in_progress');
    assert.equal(simple.body.plan, null);
  });

  it('lists rollouts, filtered by status', async () => {
    await postEvents(running.url, { type: 'rollout_aborted', rolloutId: 'simple', at: '2024-12-11T22:05:00Z' });
    const aborted = await getJson<RolloutView[]>(`${running.url}/api/v1/rollouts?status=aborted`);
    assert.deepEqual(aborted.body.map((r) => r.rolloutId), ['simple']);
    const all = await getJson<RolloutView[]>(`${running.url}/api/v1/rollouts`);
    assert.ok(all.body.some((r) => r.rolloutId === 'single'));
    const bad = await getJson<{ message: string }>(`${running.url}/api/v1/rollouts?status=paused`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^status: expected one of/);
  });

  it('answers 404 for an unknown rollout', async () => {
    const r = await getJson<{ error: string }>(`${running.url}/api/v1/rollouts/nope`);
    assert.equal(r.status, 404);
    assert.equal(r.body.error, 'not_found');
  });

  const ok = { type: 'wave_started', rolloutId: 'bad', wave: 'w', clusters: ['a'] };
  const badInputs: Array<[string, unknown, RegExp]> = [
    ['unknown type', [ok, ok, { ...ok, type: 'wave_paused' }], /^events\[2\]\.type: expected one of rollout_started\|wave_started\|/],
    ['missing rolloutId', { type: 'rollout_started' }, /^rolloutId: required$/],
    ['too long field', [{ ...ok, rolloutId: 'x'.repeat(21) }], /^events\[0\]\.rolloutId: at most 20 characters$/],
    ['empty field', { ...ok, service: '' }, /^service: must not be empty$/],
    ['too many clusters', { ...ok, clusters: ['a', 'b', 'c', 'd'] }, /^clusters: at most 3 items$/],
    ['cluster not a string', { ...ok, clusters: ['a', 7] }, /^clusters\[1\]: expected string$/],
    ['bad time', { ...ok, at: '2024-12-11 22:51' }, /^at: expected an RFC 3339 time/],
    ['wave missing', { type: 'wave_started', rolloutId: 'bad', clusters: ['a'] }, /^wave: required for wave_started$/],
    ['clusters missing without plan', [ok, { type: 'wave_started', rolloutId: 'bad', wave: 'w2' }], /^events\[1\]\.clusters: required for wave_started unless the rollout's plan lists wave "w2"$/],
    ['plan on wrong type', { ...ok, plan }, /^plan: only allowed on rollout_started$/],
    ['plan wave twice', { type: 'rollout_started', rolloutId: 'bad', plan: [plan[0], plan[0]] }, /^plan\[1\]\.wave: wave "wave-1" is listed twice$/],
    ['not an object', [ok, 'wave_started'], /^events\[1\]: expected a deploy event object$/],
    ['empty array', [], /^events: expected at least one event$/],
    ['invalid JSON', '{"type":', /^body: invalid JSON/],
  ];
  for (const [name, payload, message] of badInputs) {
    it(`rejects ${name} with 400 naming the field, storing nothing`, async () => {
      const r = await postEvents(running.url, payload);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error, 'bad_request');
      assert.match(r.body.message ?? '', message);
      assert.equal((await fetch(`${running.url}/api/v1/rollouts/bad`)).status, 404);
    });
  }

  it('answers 415 to a body that is not JSON', async () => {
    const r = await postEvents(running.url, 'type=rollout_started', 'application/x-www-form-urlencoded');
    assert.equal(r.status, 415);
    assert.match(r.body.message ?? '', /content-type/);
  });

  it('answers 413 past the body limit and past the event count limit', async () => {
    const big = await postEvents(running.url, { ...ok, service: 'x'.repeat(3000) });
    assert.equal(big.status, 413);
    assert.match(big.body.message ?? '', /at most 2048 bytes/);
    const many = await postEvents(running.url, Array.from({ length: 6 }, () => ok));
    assert.equal(many.status, 413);
    assert.match(many.body.message ?? '', /at most 5 events per request/);
  });

  it('changes nothing when an eventId is replayed, even with different content', async () => {
    const first = await postEvents(running.url, { eventId: 'ev-1', type: 'wave_started', rolloutId: 'idem', wave: 'w1', clusters: ['a'], at: '2024-12-11T22:00:00Z' });
    assert.deepEqual(first.body, { accepted: 1, duplicates: 0, rollouts: ['idem'] });
    const replay = await postEvents(running.url, { eventId: 'ev-1', type: 'rollout_aborted', rolloutId: 'idem', at: '2024-12-11T22:09:00Z' });
    assert.equal(replay.status, 202);
    assert.deepEqual(replay.body, { accepted: 0, duplicates: 1, rollouts: ['idem'] });
    const state = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/idem`);
    assert.equal(state.body.status, 'in_progress');
  });

  it('treats a retried identical POST without eventId as a duplicate, and repeats inside one request too', async () => {
    const event = { type: 'wave_started', rolloutId: 'retry', wave: 'w1', clusters: ['a'] };
    assert.deepEqual((await postEvents(running.url, [event, event])).body, { accepted: 1, duplicates: 1, rollouts: ['retry'] });
    assert.deepEqual((await postEvents(running.url, event)).body, { accepted: 0, duplicates: 1, rollouts: ['retry'] });
  });

  it('stores one row for concurrent duplicate POSTs', async () => {
    const event = { eventId: 'race-1', type: 'wave_started', rolloutId: 'race', wave: 'w1', clusters: ['a'] };
    const results = await Promise.all(Array.from({ length: 8 }, () => postEvents(running.url, event)));
    assert.ok(results.every((r) => r.status === 202));
    assert.equal(results.reduce((n, r) => n + (r.body.accepted ?? 0), 0), 1);
    assert.equal(results.reduce((n, r) => n + (r.body.duplicates ?? 0), 0), 7);
    const rows = await running.app.get(DataSource).query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM deploy_events WHERE event_id = 'race-1'`);
    assert.equal(rows[0]?.n, 1);
  });

  it('derives the right state from events that arrive out of order', async () => {
    await postEvents(running.url, { type: 'rollout_completed', rolloutId: 'ooo', at: '2024-12-11T22:30:00Z' });
    await postEvents(running.url, { type: 'wave_completed', rolloutId: 'ooo', wave: 'wave-1', at: '2024-12-11T22:10:00Z' });
    await postEvents(running.url, { type: 'wave_started', rolloutId: 'ooo', wave: 'wave-1', clusters: ['a'], at: '2024-12-11T22:01:00Z' });
    const s = await getJson<RolloutView>(`${running.url}/api/v1/rollouts/ooo`);
    assert.equal(s.body.status, 'completed');
    assert.equal(s.body.startedAt, '2024-12-11T22:01:00.000Z');
    assert.equal(s.body.endedAt, '2024-12-11T22:30:00.000Z');
    assert.deepEqual(s.body.waves, [{ wave: 'wave-1', clusters: ['a'], status: 'completed', startedAt: '2024-12-11T22:01:00.000Z', completedAt: '2024-12-11T22:10:00.000Z', clusterStatus: { a: 'completed' } }]);
  });

  it('counts events by type and outcome and the active rollouts', async () => {
    const text = await (await fetch(`${running.url}/metrics`)).text();
    const value = (labels: string): number => Number(text.match(new RegExp(`^wavewatch_deploy_events_total\\{${labels}\\} (\\S+)$`, 'm'))?.[1]);
    assert.ok(value('type="wave_started",outcome="accepted"') >= 4);
    assert.ok(value('type="wave_started",outcome="duplicate"') >= 8);
    assert.ok(value('type="unknown",outcome="rejected"') >= 1);
    assert.equal(value('type="rollout_rolled_back",outcome="accepted"'), 0);
    const active = Number(text.match(/^wavewatch_rollouts_active (\S+)$/m)?.[1]);
    const listed = await getJson<RolloutView[]>(`${running.url}/api/v1/rollouts?status=in_progress`);
    assert.equal(active, listed.body.length);
  });
});
