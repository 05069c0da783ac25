import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isStaleMarker, loadScenario, resolveScenario, scenarioPath, simulate, type ScrapeTick } from '../scenarios/index.js';
import { APISERVER_BUCKETS } from '../scenarios/metric-catalog.js';
import { isCounterName, labelValue, seriesKey } from '../scenarios/series-query.js';
import { parse as parseYaml } from 'yaml';
import { encodeWriteRequestV1 } from '../src/ingest/remote-write.codec.js';


function digest(scenario: ReturnType<typeof loadScenario>): string {
  const h = createHash('sha256');
  for (const item of simulate(scenario)) {
    if (item.kind !== 'scrape') {
      h.update(JSON.stringify(item));
      continue;
    }
    h.update(String(item.atMs));
    for (const labels of item.labels) h.update(seriesKey(labels));
    h.update(new Uint8Array(item.values.buffer, item.values.byteOffset, item.values.byteLength));
  }
  return h.digest('hex');
}

function scrapes(scenario: ReturnType<typeof loadScenario>): ScrapeTick[] {
  return [...simulate(scenario)].filter((i): i is ScrapeTick => i.kind === 'scrape');
}

// One big cluster overloaded by its wave collapses (scenarios/files/collapse-small.yaml).
const collapseDoc = (): unknown => parseYaml(readFileSync(scenarioPath('collapse-small'), 'utf8'));

describe('fleet simulator', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const a = loadScenario(scenarioPath('smoke'));
    const first = digest(a);
    assert.equal(digest(loadScenario(scenarioPath('smoke'))), first);
    assert.notEqual(digest({ ...a, seed: a.seed + 1 }), first);
  });

  it('keeps counters monotone except at the injected restarts', () => {
    const scenario = loadScenario(scenarioPath('benign-restarts-and-gaps'));
    const restarts = scenario.incidents.filter((i) => i.kind === 'instance_restart');
    assert.ok(restarts.length > 0);
    const last = new Map<string, number>();
    const resetsSeen = new Set<string>();
    let checked = 0;
    for (const tick of scrapes(scenario)) {
      tick.labels.forEach((labels, i) => {
        const metric = labels[0]!.value;
        const v = tick.values[i]!;
        if (!isCounterName(metric) || Number.isNaN(v)) return;
        const key = seriesKey(labels);
        const prev = last.get(key);
        last.set(key, v);
        if (prev === undefined) return;
        checked++;
        if (v >= prev) return;
        const cluster = labelValue(labels, 'cluster')!;
        const job = labelValue(labels, 'job');
        const injected = restarts.find((r) => r.clusters.includes(cluster) && r.kind === 'instance_restart' && (r.target === job || r.target === 'all') && tick.atMs >= r.atMs && tick.atMs - scenario.intervalMs < r.atMs);
        assert.ok(injected, `counter ${key} went down at ${new Date(tick.atMs).toISOString()} without an injected reset`);
        resetsSeen.add(`${cluster}/${labelValue(labels, 'instance')}`);
      });
    }
    assert.ok(checked > 100_000, `checked ${checked} samples`);
    assert.equal(resetsSeen.size, restarts.length, 'every injected restart shows as a counter reset of one instance');
  });

  it('uses the real apiserver buckets and keeps histogram buckets cumulative', () => {
    const ticks = scrapes(resolveScenario(collapseDoc()));
    const tick = ticks[10]!;
    const les = new Set<string>();
    const byHistogram = new Map<string, { le: number; v: number }[]>();
    tick.labels.forEach((labels, i) => {
      if (labels[0]!.value !== 'apiserver_request_duration_seconds_bucket') return;
      const le = labelValue(labels, 'le')!;
      les.add(le);
      const key = seriesKey(labels.filter((l) => l.name !== 'le'));
      const list = byHistogram.get(key) ?? [];
      list.push({ le: le === '+Inf' ? Infinity : Number(le), v: tick.values[i]! });
      byHistogram.set(key, list);
    });
    assert.deepEqual([...les], [...APISERVER_BUCKETS.map(String), '+Inf']);
    for (const [key, list] of byHistogram) {
      list.sort((a, b) => a.le - b.le);
      for (let i = 1; i < list.length; i++) assert.ok(list[i]!.v >= list[i - 1]!.v, `${key} not cumulative at le=${list[i]!.le}`);
    }
  });

  it('puts cluster, job and instance on every series and several instances per cluster', () => {
    const tick = scrapes(resolveScenario(collapseDoc()))[1]!;
    const instances = new Map<string, Set<string>>();
    for (const labels of tick.labels) {
      const cluster = labelValue(labels, 'cluster');
      const job = labelValue(labels, 'job');
      assert.ok(cluster && job && labelValue(labels, 'instance'), `missing target labels on ${seriesKey(labels)}`);
      const k = `${cluster}/${job}`;
      instances.set(k, (instances.get(k) ?? new Set()).add(labelValue(labels, 'instance')!));
    }
    assert.equal(instances.get('tiny/apiserver')?.size, 3);
    assert.equal(instances.get('tiny/coredns')?.size, 2);
  });

  it('on collapse reports up=0 and one stale marker per apiserver series, then nothing but up', () => {
    const ticks = scrapes(resolveScenario(collapseDoc()));
    const isHugeApi = (labels: readonly { name: string; value: string }[]): boolean =>
      labelValue(labels, 'cluster') === 'huge' && labelValue(labels, 'job') === 'apiserver';
    const firstDown = ticks.findIndex((t) => t.labels.some((l, i) => isHugeApi(l) && l[0]!.value === 'up' && t.values[i] === 0));
    assert.ok(firstDown > 0, 'the huge cluster collapses');
    const before = ticks[firstDown - 1]!.labels.filter((l) => isHugeApi(l) && l[0]!.value !== 'up').length;
    const down = ticks[firstDown]!;
    const stale = down.labels.filter((l, i) => isHugeApi(l) && isStaleMarker(down.values[i]!)).length;
    assert.equal(stale, before);
    const after = ticks[firstDown + 1]!;
    assert.deepEqual(new Set(after.labels.filter(isHugeApi).map((l) => l[0]!.value)), new Set(['up']));
  });

  it('keeps the stale marker NaN bits through the remote_write encoder', () => {
    const ticks = scrapes(resolveScenario(collapseDoc()));
    const tick = ticks.find((t) => t.values.some((v) => isStaleMarker(v)))!;
    const i = tick.values.findIndex((v) => isStaleMarker(v));
    const bytes = Buffer.from(encodeWriteRequestV1([{ labels: tick.labels[i]!, samples: [{ value: tick.values[i]!, timestampMs: tick.atMs }] }]));
    assert.ok(bytes.includes(Buffer.from([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f])), 'little-endian 0x7ff0000000000002 on the wire');
  });
});
