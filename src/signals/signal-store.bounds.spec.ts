import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNALS } from './signal.types.js';
import { finite, scrape, series, T0, testStore, type Target } from './testing/signal-fixtures.js';

// Bounds of the signal store: memory follows the data a cluster sends, every limit is a
// setting, and what a limit drops is counted by reason while known data keeps flowing.

const MIN = 60_000;
const HOUR = 60 * MIN;

const requests = (cluster: string, extra: Record<string, string> = {}): Target => ({
  labels: { __name__: 'apiserver_request_total', cluster, instance: 'a:6443', verb: 'GET', code: '200', ...extra },
  value: (t) => 1000 + (10 * (t - T0)) / 1000,
});

describe('signal store: bounds', () => {
  it('discards samples newer than notAfterMs, keeps the rest of the batch, and leaves the watermark alone', () => {
    const store = testStore();
    const year58887 = 1_733_957_460_000_000; // a microsecond timestamp read as milliseconds
    const result = store.append(
      [series(requests('prod-a').labels, [[T0, 1], [T0 + 15_000, 2], [year58887, 3]]), series(requests('prod-b').labels, [[year58887, 1]])],
      { notAfterMs: T0 + 60_000 },
    );
    assert.equal(result.accepted, 2);
    assert.deepEqual(result.discarded, { too_far_in_future: 2 });
    assert.equal(store.watermarkMs(), T0 + 15_000);
    // history of any age is still taken
    assert.equal(store.append([series(requests('prod-c').labels, [[T0 - 7 * 24 * HOUR, 1]])], { notAfterMs: T0 }).accepted, 1);
  });

  it('refuses new clusters beyond maxClusters, counted, while known clusters keep flowing', () => {
    const store = testStore({ maxClusters: 3 });
    const batch = (t: number) => Array.from({ length: 5 }, (_, i) => series(requests(`c${i}`).labels, [[t, t / 1000]]));
    const first = store.append(batch(T0));
    assert.equal(first.accepted, 3);
    assert.deepEqual(first.discarded, { max_clusters: 2 });
    const again = store.append(batch(T0 + 15_000));
    assert.equal(again.accepted, 3, 'c0..c2 keep flowing');
    assert.equal(store.stats().clusters, 3);
    assert.deepEqual(
      store.clusters().map((c) => c.name),
      ['c0', 'c1', 'c2'],
    );
  });

  it('forgets a cluster idle for the window, frees its place and its series', () => {
    const store = testStore({ maxClusters: 2 });
    scrape(store, [requests('live'), requests('gone')], T0, T0 + 10 * MIN, 15_000);
    // only `live` reports for the next 3 hours and a bit
    scrape(store, [requests('live')], T0 + 10 * MIN + 15_000, T0 + 10 * MIN + 3 * HOUR + 5 * MIN, 15_000);
    assert.equal(store.cluster('gone'), undefined);
    assert.deepEqual(
      store.clusters().map((c) => c.name),
      ['live'],
    );
    assert.equal(store.stats().evictedClusters, 1);
    assert.equal(store.stats().activeSeries, 1);
    // its place is free for a new cluster
    const t = T0 + 10 * MIN + 3 * HOUR + 5 * MIN + 15_000;
    assert.equal(store.append([series(requests('new').labels, [[t, 1]])]).accepted, 1);
    assert.ok(store.cluster('new'));
    assert.ok(finite(store, 'live', SIGNALS.apiRequestRate, t - HOUR, t).length > 200, 'the live cluster kept its window');
  });

  it('does not forget a cluster that is replaying old history while others are live', () => {
    const store = testStore();
    for (let i = 0; i <= 4 * 60; i++) {
      const live = T0 + 4 * HOUR + i * 15_000;
      const old = T0 + i * 15_000;
      store.append([series(requests('live').labels, [[live, live / 1000]]), series(requests('replay').labels, [[old, old / 1000]])]);
    }
    assert.ok(store.cluster('replay'));
    assert.ok(finite(store, 'replay', SIGNALS.apiRequestRate, T0, T0 + HOUR).length > 200);
  });

  it('costs a cluster with one series a few kilobytes, not a full window per signal', () => {
    const store = testStore();
    scrape(store, [requests('one')], T0, T0 + 10 * MIN, 15_000);
    const fresh = store.windowBytes();
    // a few KB: the fed signals' rings and the as-of ring of sample times (16 B per step seen)
    assert.ok(fresh < 6144, `one series for 10 minutes: ${fresh} bytes`);
    scrape(store, [requests('one')], T0 + 10 * MIN + 15_000, T0 + 4 * HOUR, 15_000);
    const full = store.windowBytes();
    // the signals one apiserver_request_total series feeds, each a full 3 h ring of 720 steps,
    // plus the as-of ring (sample time and settle time per step, for evaluation as of a step)
    const fed = store.clusters()[0]!.signals.filter((s) => finite(store, 'one', s, T0 + 3 * HOUR, T0 + 4 * HOUR).length > 0).length;
    assert.ok(fed >= 1 && fed <= 6, `signals fed: ${fed}`);
    assert.ok(full <= fed * 720 * 8 + 720 * 16 + 4096, `after the window: ${full} bytes for ${fed} signals`);
  });

  it('caps the buckets of a histogram: further `le` series are discarded and counted', () => {
    const store = testStore({ maxHistogramBuckets: 4 });
    const bucket = (le: string) => series({ __name__: 'apiserver_request_duration_seconds_bucket', cluster: 'h', verb: 'GET', le }, [[T0, 1]]);
    const result = store.append(['0.1', '0.5', '1', '+Inf', '2', '5', '1.0'].map(bucket));
    assert.equal(result.accepted, 5, 'four bounds, "1.0" is the known bound 1');
    assert.deepEqual(result.discarded, { max_histogram_buckets: 2 });
  });

  it('makes the replicas of an HA pair one series: the second copy is out of order, the rate not doubled', () => {
    const store = testStore({ replicaLabels: ['prometheus_replica', '__replica__'] });
    const a = { ...requests('ha'), labels: { ...requests('ha').labels, prometheus_replica: 'a' } };
    const b = { ...requests('ha'), labels: { ...requests('ha').labels, prometheus_replica: 'b' } };
    // both scrape the same target, b a few seconds later
    scrape(store, [a, b], T0, T0 + 30 * MIN, 15_000, [0, 4_000]);
    const rates = finite(store, 'ha', SIGNALS.apiRequestRate, T0 + 5 * MIN, T0 + 25 * MIN);
    assert.ok(rates.length > 70);
    for (const r of rates) assert.ok(Math.abs(r - 10) < 1e-6, `rate ${r}, not 20`);
    assert.equal(store.stats().activeSeries, 1);
    const twin = store.append([series({ ...a.labels, prometheus_replica: 'b' }, [[T0 + 30 * MIN, 1]])]);
    assert.equal(twin.outOfOrder, 1, 'the same timestamp from the other replica');
  });
});
