import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STALE_NAN } from './stale-marker.js';
import { SIGNALS } from './signal.types.js';
import { finite, scrape, series, STEP_MS, T0, testStore, type Target } from './testing/signal-fixtures.js';

const MIN = 60_000;

const gauge = (name: string, cluster: string, labels: Record<string, string>, value: (t: number) => number | undefined): Target => ({
  labels: { __name__: name, cluster, ...labels },
  value,
});

describe('signal store: gauges, capacity and nodes', () => {
  it('sums inflight over request kinds and instances, carrying a missed scrape forward', () => {
    const store = testStore();
    const targets = ['a', 'b'].flatMap((instance) => [
      gauge('apiserver_current_inflight_requests', 'prod-a', { instance, request_kind: 'readOnly' }, () => 40),
      // instance b misses one scrape of its mutating gauge: its last value still counts
      gauge('apiserver_current_inflight_requests', 'prod-a', { instance, request_kind: 'mutating' }, (t) =>
        instance === 'b' && t === T0 + 5 * MIN ? undefined : 10,
      ),
    ]);
    scrape(store, targets, T0, T0 + 10 * MIN, 15_000);
    const values = finite(store, 'prod-a', SIGNALS.apiInflight, T0 + MIN, T0 + 9 * MIN);
    assert.equal(values.length, 33);
    assert.ok(values.every((v) => v === 100), values.join(','));
    assert.deepEqual(finite(store, 'prod-a', SIGNALS.apiInstances, T0 + 5 * MIN, T0 + 5 * MIN), [2]);
  });

  it('drops a gauge after a stale marker and after the five-minute lookback', () => {
    const store = testStore();
    const queued = (instance: string, end: number, marker: boolean): Target =>
      gauge('apiserver_flowcontrol_current_inqueue_requests', 'prod-a', { instance, priority_level: 'workload-low' }, (t) =>
        t < end ? 3 : t === end && marker ? STALE_NAN : undefined,
      );
    const keepAlive = gauge('up', 'prod-a', { instance: 'x', job: 'apiserver' }, () => 1);
    scrape(store, [queued('a', T0 + 5 * MIN, true), queued('b', T0 + 5 * MIN, false), keepAlive], T0, T0 + 20 * MIN, 15_000);
    const at = (t: number): number => store.values('prod-a', SIGNALS.apiQueued, t, t)[0]!;
    assert.equal(at(T0 + 4 * MIN), 6);
    // a's stale marker removes it at once; b's last value lasts the lookback, then goes too
    assert.equal(at(T0 + 6 * MIN), 3);
    assert.equal(at(T0 + 9 * MIN), 3);
    assert.ok(Number.isNaN(at(T0 + 11 * MIN)));
  });

  it('counts targets up and down, a stale target as down until it is forgotten', () => {
    const store = testStore();
    const up = (instance: string, value: (t: number) => number | undefined): Target => gauge('up', 'prod-a', { instance, job: 'coredns' }, value);
    scrape(
      store,
      [up('a', () => 1), up('b', (t) => (t < T0 + 5 * MIN ? 1 : 0)), up('c', (t) => (t < T0 + 3 * MIN ? 1 : t === T0 + 3 * MIN ? STALE_NAN : undefined))],
      T0,
      T0 + 30 * MIN,
      15_000,
    );
    const at = (signal: string, t: number): number => store.values('prod-a', signal, t, t)[0]!;
    assert.equal(at(SIGNALS.targetsUp, T0 + 2 * MIN), 3);
    assert.equal(at(SIGNALS.targetsDown, T0 + 2 * MIN), 0);
    assert.equal(at(SIGNALS.targetsUp, T0 + 4 * MIN), 2);
    assert.equal(at(SIGNALS.targetsDown, T0 + 4 * MIN), 1);
    assert.equal(at(SIGNALS.targetsUp, T0 + 8 * MIN), 1);
    assert.equal(at(SIGNALS.targetsDown, T0 + 8 * MIN), 2);
    // c went stale at 3 min, idle for 10 min: forgotten by the next sweep after that
    store.sweep();
    assert.equal(store.stats().activeSeries, 2);
    assert.equal(at(SIGNALS.targetsDown, T0 + 28 * MIN), 1);
  });

  it('sums APF nominal seats over priority levels and instances as capacity', () => {
    const store = testStore();
    const targets = ['a', 'b'].flatMap((instance) =>
      [['system', 50], ['workload-high', 100], ['global-default', 25]].map(([priority_level, seats]) =>
        gauge('apiserver_flowcontrol_nominal_limit_seats', 'prod-a', { instance, priority_level: String(priority_level) }, () => Number(seats)),
      ),
    );
    scrape(store, targets, T0, T0 + 5 * MIN, 15_000);
    assert.deepEqual(finite(store, 'prod-a', SIGNALS.apiCapacitySeats, T0 + 2 * MIN, T0 + 2 * MIN), [350]);
    assert.equal(store.cluster('prod-a')!.capacitySeats, 350);
  });

  it('falls back to configured capacity, else default seats per apiserver instance seen', () => {
    const store = testStore({ clusters: { configured: { capacitySeats: 1234, nodes: 5000 } } });
    const inflight = (cluster: string, instance: string): Target =>
      gauge('apiserver_current_inflight_requests', cluster, { instance, request_kind: 'readOnly' }, () => 1);
    scrape(store, [inflight('configured', 'a'), inflight('plain', 'a'), inflight('plain', 'b'), inflight('plain', 'c')], T0, T0 + 5 * MIN, 15_000);
    assert.deepEqual(finite(store, 'configured', SIGNALS.apiCapacitySeats, T0 + 2 * MIN, T0 + 2 * MIN), [1234]);
    assert.deepEqual(finite(store, 'plain', SIGNALS.apiCapacitySeats, T0 + 2 * MIN, T0 + 2 * MIN), [1800]);
    assert.equal(store.cluster('plain')!.capacitySeats, 1800);
    assert.equal(store.cluster('configured')!.nodes, 5000);
    assert.equal(store.cluster('plain')!.nodes, undefined);
  });

  it('takes nodes as the max over instances, from the older or newer object-count metric', () => {
    const store = testStore({ clusters: { newer: { nodes: 1 } } });
    const objects = (name: string, cluster: string, instance: string, count: number): Target =>
      gauge(name, cluster, { instance, resource: 'nodes', group: '' }, () => count);
    scrape(
      store,
      [
        objects('apiserver_storage_objects', 'older', 'a', 500),
        objects('apiserver_storage_objects', 'older', 'b', 501),
        objects('apiserver_resource_objects', 'newer', 'a', 2000),
        objects('apiserver_resource_objects', 'newer', 'b', 2000),
        gauge('apiserver_resource_objects', 'newer', { instance: 'a', resource: 'pods' }, () => 90_000),
      ],
      T0,
      T0 + 5 * MIN,
      15_000,
    );
    assert.deepEqual(finite(store, 'older', SIGNALS.nodes, T0 + 2 * MIN, T0 + 2 * MIN), [501]);
    assert.deepEqual(finite(store, 'newer', SIGNALS.nodes, T0 + 2 * MIN, T0 + 2 * MIN), [2000]);
    assert.equal(store.cluster('newer')!.nodes, 2000);
  });

  it('reports NaN until a step is complete, and where the complete steps end', () => {
    const store = testStore();
    const labels = { __name__: 'coredns_cache_entries', cluster: 'prod-a', instance: 'a', type: 'success' };
    store.append([series(labels, [[T0, 10]])]);
    assert.equal(store.cluster('prod-a')!.completeBeforeMs! <= T0, true);
    store.append([series(labels, [[T0 + STEP_MS, 11], [T0 + 2 * STEP_MS, 12], [T0 + 3 * STEP_MS, 13]])]);
    const info = store.cluster('prod-a')!;
    // scrape interval 15 s: steps ending at least one interval before the newest sample are final
    assert.equal(info.completeBeforeMs, T0 + 2 * STEP_MS);
    assert.deepEqual([...store.values('prod-a', SIGNALS.dnsCacheEntries, T0, T0 + 3 * STEP_MS)].map((v) => (Number.isNaN(v) ? null : v)), [10, 11, null, null]);
    assert.equal(store.watermarkMs(), T0 + 3 * STEP_MS);
  });
});
