import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import type { AlertView } from '../src/alerts/alert.types.js';
import { postEvents } from './support/events-client.js';
import { startApp, type RunningApp } from './support/start-app.js';

// A live feed that stops is telemetry loss, not the last verdict forever: the gate holds with
// `telemetry_lost`, TelemetryLost fires, and `dataAsOf` says how old the data is. A replay of
// history that ends is not: its last verdict stands. Real app over HTTP, text import.

const STEP_MS = 15_000;
// above two 15 s steps: each step is read as of its start, so its newest sample can be a step old
const LOST_AFTER_S = 35;
const CLUSTERS = ['c-1', 'c-2', 'c-3'];

interface GateBody {
  verdict: string;
  evaluatedAt: string;
  dataAsOf: string | null;
  reasons: { code: string; cluster: string | null }[];
}

function configFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ww-stall-')), 'wavewatch.yaml');
  writeFileSync(path, `analysis:\n  telemetryLostAfterSeconds: ${LOST_AFTER_S}\n`);
  return path;
}

class Feed {
  private readonly counters = new Map<string, number>();
  constructor(private readonly url: string) {}

  /** one healthy scrape of every cluster at tMs */
  async scrape(tMs: number): Promise<void> {
    const lines: string[] = [];
    for (const c of CLUSTERS) {
      const n = (this.counters.get(c) ?? 0) + 1;
      this.counters.set(c, n);
      const l = `cluster="${c}",instance="10.0.0.1:6443",job="apiserver"`;
      lines.push(
        `apiserver_request_total{${l},verb="LIST",resource="pods",code="200"} ${n * 3000} ${tMs}`,
        `apiserver_request_duration_seconds_sum{${l},verb="LIST",resource="pods",scope="cluster"} ${n * 900} ${tMs}`,
        `apiserver_flowcontrol_nominal_limit_seats{${l},priority_level="workload-low"} 600 ${tMs}`,
        `apiserver_storage_objects{${l},resource="nodes"} 500 ${tMs}`,
        `up{${l}} 1 ${tMs}`,
      );
    }
    const res = await fetch(`${this.url}/api/v1/import/prometheus`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: lines.join('\n') + '\n' });
    assert.equal(res.status, 204, await res.text());
  }

  /** ten minutes of history ending at endMs, one scrape per step */
  async backfill(endMs: number): Promise<void> {
    for (let t = endMs - 10 * 60_000; t <= endMs; t += STEP_MS) await this.scrape(t);
  }
}

async function announce(url: string, startMs: number, rolloutId: string): Promise<void> {
  const at = (ms: number): string => new Date(ms).toISOString();
  const res = await postEvents(url, [
    { type: 'rollout_started', rolloutId, at: at(startMs), plan: [{ wave: 'wave-1', clusters: ['c-1'] }, { wave: 'wave-2', clusters: ['c-2'] }] },
    { type: 'wave_started', rolloutId, wave: 'wave-1', at: at(startMs) },
  ]);
  assert.equal(res.status, 202);
}

async function gate(url: string, rolloutId: string): Promise<{ status: number; body: GateBody }> {
  const res = await fetch(`${url}/api/v1/rollouts/${rolloutId}/gate`);
  return { status: res.status, body: (await res.json()) as GateBody };
}

describe('gate across a stalled feed', () => {
  const apps: RunningApp[] = [];
  after(async () => {
    for (const a of apps) await a.close();
  });

  it('live: holds with telemetry_lost, fires TelemetryLost and says dataAsOf once the feed stops', async () => {
    const app = await startApp({ WAVEWATCH_CONFIG: configFile() });
    apps.push(app);
    const feed = new Feed(app.url);
    const now = Date.now();
    await feed.backfill(now);
    await announce(app.url, now - 8 * 60_000, 'live-r');
    // a few live scrapes, a second apart, stamped with the wall clock
    let last = now;
    for (let i = 0; i < 3; i++) {
      await sleep(1000);
      last = Date.now();
      await feed.scrape(last);
    }
    await fetch(`${app.url}/api/v1/evaluation/catch-up`, { method: 'POST' });
    const before = await gate(app.url, 'live-r');
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.verdict, 'proceed');
    // the newest sample behind the newest evaluated step (scrapes within one step are seen at the next)
    const asOf = Date.parse(before.body.dataAsOf ?? '');
    assert.ok(asOf <= last && asOf >= now - STEP_MS, `dataAsOf ${before.body.dataAsOf}`);

    // a sample from five minutes ahead does not move the evaluation past the wall clock
    await fetch(`${app.url}/api/v1/import/prometheus`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `up{cluster="c-3",job="x"} 1 ${Date.now() + 300_000}\n` });
    const status = (await (await fetch(`${app.url}/api/v1/evaluation/catch-up`, { method: 'POST' })).json()) as { evaluatedThrough: string };
    assert.ok(Date.parse(status.evaluatedThrough) <= Date.now() + 5_000, `evaluated through ${status.evaluatedThrough}`);

    // the feed stops: poll the gate; it must never say proceed once the data is too old
    const answers: { afterS: number; status: number; verdict: string }[] = [];
    let held: { status: number; body: GateBody } | undefined;
    while (Date.now() - last < (LOST_AFTER_S + 40) * 1000) {
      const g = await gate(app.url, 'live-r');
      const ageS = (Date.now() - last) / 1000;
      answers.push({ afterS: Math.round(ageS * 10) / 10, status: g.status, verdict: g.body.verdict });
      if (ageS > LOST_AFTER_S + 0.5) assert.notEqual(g.status, 200, `200 from ${ageS} s old data`);
      if (g.body.verdict === 'hold' && g.body.reasons.some((r) => r.code === 'telemetry_lost')) held ??= g;
      const alerts = (await (await fetch(`${app.url}/api/v1/alerts?state=firing`)).json()) as AlertView[];
      if (held && alerts.some((a) => a.name === 'TelemetryLost' && a.rolloutId === 'live-r')) {
        answers.push({ afterS: Math.round(ageS * 10) / 10, status: 0, verdict: 'TelemetryLost firing' });
        break;
      }
      await sleep(500);
    }
    process.stdout.write(`# live stall, gate answers (seconds since the last sample → status verdict): ${answers.map((a) => `${a.afterS}s→${a.status || ''} ${a.verdict}`).join(', ')}\n`);
    assert.ok(held, 'the gate held with telemetry_lost');
    assert.equal(held.status, 409);
    // the newest sample as of the evaluated step (evaluation reads each step as of its time, so
    // the scrapes inside the newest step may not be behind it yet)
    const heldAsOf = Date.parse(held.body.dataAsOf ?? '');
    assert.ok(heldAsOf <= last && heldAsOf > last - 2 * STEP_MS, `dataAsOf ${held.body.dataAsOf} is the newest sample behind the verdict (last sent ${new Date(last).toISOString()})`);
    const lost = ((await (await fetch(`${app.url}/api/v1/alerts?state=firing`)).json()) as AlertView[]).filter((a) => a.name === 'TelemetryLost');
    assert.ok(lost.some((a) => a.clusters.includes('c-1')), `TelemetryLost for the wave cluster: ${JSON.stringify(lost.map((a) => a.clusters))}`);
  });

  it('replay: a replay of history that ends keeps its last verdict (no wall-clock loss)', async () => {
    const app = await startApp({ WAVEWATCH_CONFIG: configFile() });
    apps.push(app);
    const feed = new Feed(app.url);
    const end = Date.parse('2024-12-11T23:00:00Z');
    await feed.backfill(end);
    await announce(app.url, end - 8 * 60_000, 'replay-r');
    await fetch(`${app.url}/api/v1/evaluation/catch-up`, { method: 'POST' });
    const first = await gate(app.url, 'replay-r');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    await sleep((LOST_AFTER_S + 3) * 1000);
    const later = await gate(app.url, 'replay-r');
    assert.equal(later.status, 200, JSON.stringify(later.body));
    assert.deepEqual(later.body, first.body, 'same answer: history does not age by the wall clock');
    const alerts = (await (await fetch(`${app.url}/api/v1/alerts?state=all`)).json()) as AlertView[];
    assert.deepEqual(alerts.map((a) => a.name), []);
  });
});
