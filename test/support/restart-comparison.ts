import assert from 'node:assert/strict';
import type { AlertView } from '../../src/alerts/alert.types.js';
import { groundTruth, loadScenario, scenarioPath } from '../../scenarios/index.js';
import { fetchAlerts, replay } from '../../scenarios/replay-runner.js';
import type { GateAnswer } from '../../scenarios/score.js';
import { startWavewatch, type RunningWavewatch } from '../../bench/wavewatch-process.js';

// Shared by test/durable-restart-*.test.ts (one file per store: each run takes minutes).
// kill -9 in the middle of an incident, restart on the same database, finish the replay: the
// alerts and gate answers equal those of an uninterrupted run (same episodes, the ongoing
// alerts keep their ids, nothing RESOLVED and re-opened, the gate still says rollback).

const scenario = loadScenario(scenarioPath('collapse-small'));
const truth = groundTruth(scenario);
const huge = truth.clusters.find((c) => c.cluster === 'huge')!;
// mid-incident: the overload on `huge` has been alerted and its control plane is collapsing
const KILL_AT_MS = Math.ceil((huge.overloadOnsetMs! + 4 * scenario.intervalMs) / scenario.intervalMs) * scenario.intervalMs;
const ROLLOUT = scenario.rollout!.id;
// the collapse, TelemetryLost and DNS failure follow within minutes; later steps add nothing
const END_MS = KILL_AT_MS + 7 * 60_000;

interface GateRead {
  status: number;
  verdict: string;
  reasons: string[];
}

interface RunRecord {
  gates: GateAnswer[];
  /** the gate right after the kill point (restarted run: right after the restart) */
  gateAtKill: GateRead;
  firingAtKill: AlertView[];
  alerts: AlertView[];
  finalGate: GateRead;
  restartLog: string;
}

const bearer = (service: RunningWavewatch): Record<string, string> => ({ Authorization: `Bearer ${service.token}` });

async function readGate(service: RunningWavewatch): Promise<GateRead> {
  const res = await fetch(`${service.url}/api/v1/rollouts/${ROLLOUT}/gate`, { headers: bearer(service) });
  const body = (await res.json()) as { verdict: string; reasons: { code: string; cluster: string | null }[] };
  return { status: res.status, verdict: body.verdict, reasons: body.reasons.map((r) => `${r.code}:${r.cluster ?? ''}`).sort() };
}

async function firing(service: RunningWavewatch): Promise<AlertView[]> {
  return (await (await fetch(`${service.url}/api/v1/alerts?state=firing`, { headers: bearer(service) })).json()) as AlertView[];
}

async function run(env: Record<string, string>, kill: boolean): Promise<RunRecord> {
  let service: RunningWavewatch = await startWavewatch(env);
  try {
    const first = await replay(scenario, service.url, { untilMs: KILL_AT_MS, token: service.token });
    let restartLog = '';
    let firingAtKill: AlertView[];
    if (kill) {
      // no catch-up: the process dies with whatever was in flight
      await service.kill('SIGKILL');
      service = await startWavewatch(env);
      restartLog = service.output();
      await fetch(`${service.url}/api/v1/evaluation/catch-up`, { method: 'POST', headers: bearer(service) });
      firingAtKill = await firing(service);
    } else {
      await fetch(`${service.url}/api/v1/evaluation/catch-up`, { method: 'POST', headers: bearer(service) });
      firingAtKill = await firing(service);
    }
    const gateAtKill = await readGate(service);
    const second = await replay(scenario, service.url, { afterMs: KILL_AT_MS, untilMs: END_MS, token: service.token });
    const alerts = await fetchAlerts(service.url, service.token);
    return { gates: [...first.gates, ...second.gates], gateAtKill, firingAtKill, alerts, finalGate: await readGate(service), restartLog };
  } finally {
    await service.kill('SIGTERM');
  }
}

const episodes = (alerts: readonly AlertView[]): string[] =>
  alerts.map((a) => `${a.fingerprint} ${a.name} [${a.clusters.join(',')}] ${a.state} ${a.startsAt}`).sort();

/**
 * endsAt of resolved episodes may differ by a step or two: the samples of the steps that were
 * not final at the kill are lost (README: what is not durable), and a DNS projection fed one
 * point less can clear a step earlier. Returns the differences, in ms.
 */
function endsAtDifferences(a: readonly AlertView[], b: readonly AlertView[]): number[] {
  const other = new Map(b.map((x) => [`${x.fingerprint} ${x.startsAt}`, x]));
  return a.map((x) => {
    const y = other.get(`${x.fingerprint} ${x.startsAt}`);
    return x.endsAt === null || !y?.endsAt ? (x.endsAt === (y?.endsAt ?? null) ? 0 : Infinity) : Math.abs(Date.parse(x.endsAt) - Date.parse(y.endsAt));
  });
}

export interface RestartStorage {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function compareRestart(storage: () => Promise<RestartStorage>): Promise<void> {
  const reference = await storage();
  const restarted = await storage();
  try {
    // side by side: each run is minutes of process starts and replay on a loaded machine
    const [uninterrupted, interrupted] = await Promise.all([run(reference.env, false), run(restarted.env, true)]);
    assert.ok(uninterrupted.firingAtKill.length > 0, 'the kill point is in the middle of an incident (alerts firing)');
    process.stdout.write(`# restart log: ${interrupted.restartLog.match(/restored [^"]*/)?.[0] ?? "(none)"}\n`);
    assert.match(interrupted.restartLog, /restored \d+ signal steps of 2 clusters/);
    assert.deepEqual(episodes(interrupted.alerts), episodes(uninterrupted.alerts), 'same alert episodes (fingerprints, states, startsAt)');
    const ends = endsAtDifferences(interrupted.alerts, uninterrupted.alerts);
    assert.ok(ends.every((d) => d <= 2 * scenario.intervalMs), `endsAt within two scrape intervals: ${ends.join(', ')} ms`);
    const finalById = new Map(interrupted.alerts.map((a) => [a.id, a]));
    for (const a of interrupted.firingAtKill) {
      assert.equal(finalById.get(a.id)?.fingerprint, a.fingerprint, `${a.name} keeps its id ${a.id} across the restart`);
    }
    const fingerprints = interrupted.alerts.map((a) => a.fingerprint);
    assert.equal(new Set(fingerprints).size, fingerprints.length, 'no fingerprint RESOLVED and re-opened');
    assert.deepEqual(interrupted.gates, uninterrupted.gates, 'gate answers before every wave');
    assert.deepEqual(interrupted.gateAtKill, uninterrupted.gateAtKill, 'the gate right after the restart');
    assert.equal(interrupted.gateAtKill.status, 409);
    assert.deepEqual(interrupted.finalGate, uninterrupted.finalGate, 'the gate at the end');
    const gates = (r: RunRecord): string => [...r.gates.map((g) => `${g.wave}:${g.status} ${g.verdict ?? '?'}`), `after kill:${r.gateAtKill.status} ${r.gateAtKill.verdict}`, `end:${r.finalGate.status} ${r.finalGate.verdict}`].join(', ');
    process.stdout.write(
      `# restart comparison: ${interrupted.alerts.length} alert episodes equal (${episodes(interrupted.alerts).map((e) => e.split(' ').slice(1, 4).join(' ')).join('; ')}); ` +
        `endsAt differences ${ends.map((d) => `${d / 1000} s`).join(', ')}; ${interrupted.firingAtKill.length} firing at the kill kept their ids; gate uninterrupted [${gates(uninterrupted)}] restarted [${gates(interrupted)}]\n`,
    );
  } finally {
    await reference.drop();
    await restarted.drop();
  }
}

