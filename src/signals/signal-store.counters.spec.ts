import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STALE_NAN } from './stale-marker.js';
import { SIGNALS } from './signal.types.js';
import { finite, scrape, series, STEP_MS, T0, testStore, type Target } from './testing/signal-fixtures.js';

const MIN = 60_000;

/** a counter growing at `perSecond`, starting from `start` at T0 */
function requests(cluster: string, instance: string, perSecond: number, extra: Record<string, string> = {}, start = 1000): Target {
  return {
    labels: { __name__: 'apiserver_request_total', cluster, instance, verb: 'GET', code: '200', resource: 'pods', ...extra },
    value: (t) => start + (perSecond * (t - T0)) / 1000,
  };
}

function close(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} ≉ ${expected}`);
}

describe('signal store: counters', () => {
  it('gives the same smooth rate at 15 s and 30 s scrape intervals, summed over instances', () => {
    const rates: number[][] = [];
    for (const interval of [15_000, 30_000]) {
      const store = testStore();
      const targets = [requests('prod-a', '10.0.0.1:6443', 12), requests('prod-a', '10.0.0.2:6443', 8)];
      // instances are scraped at different offsets inside the interval
      scrape(store, targets, T0, T0 + 30 * MIN, interval, [3_000, 11_000]);
      const values = finite(store, 'prod-a', SIGNALS.apiRequestRate, T0 + 5 * MIN, T0 + 25 * MIN);
      assert.equal(values.length, 81);
      rates.push(values);
    }
    for (const v of rates.flat()) close(v, 20);
  });

  it('takes a counter reset as a restart from zero: no negative rate and no spike', () => {
    const store = testStore();
    const restartAt = T0 + 10 * MIN + 7_000;
    const target: Target = {
      labels: { __name__: 'apiserver_request_total', cluster: 'prod-a', instance: 'a', verb: 'LIST', code: '200' },
      value: (t) => (t < restartAt ? 50_000 + (5 * (t - T0)) / 1000 : (5 * (t - restartAt)) / 1000),
    };
    scrape(store, [target], T0, T0 + 20 * MIN, 15_000, [2_000]);
    const values = finite(store, 'prod-a', SIGNALS.apiRequestRate, T0 + 2 * MIN, T0 + 18 * MIN);
    assert.ok(values.length > 60);
    assert.ok(values.every((v) => v >= 0 && v <= 5 + 1e-9), `rates ${values.join(',')}`);
    // only the steps touching the restart interval lose the increase before the restart
    assert.ok(values.filter((v) => Math.abs(v - 5) > 1e-9).length <= 2);
    const read = finite(store, 'prod-a', SIGNALS.apiReadRate, T0 + 2 * MIN, T0 + 18 * MIN);
    assert.deepEqual(read, values);
  });

  it('drops out-of-order samples and counts them, keeping the rest of the request', () => {
    const store = testStore();
    const labels = { __name__: 'apiserver_request_total', cluster: 'prod-a', instance: 'a', verb: 'GET', code: '200' };
    const first = store.append([series(labels, [[T0, 10], [T0 + 15_000, 20]])]);
    assert.deepEqual(first, { accepted: 2, outOfOrder: 0, ignored: 0, missingCluster: 0, rejected: 0 });
    const other = { ...labels, instance: 'b' };
    const second = store.append([series(labels, [[T0 + 15_000, 25], [T0 + 5_000, 15], [T0 + 30_000, 30]]), series(other, [[T0, 1]])]);
    assert.equal(second.outOfOrder, 2);
    assert.equal(second.accepted, 2);
  });

  it('ends a series at a stale marker: no rate spike when it returns with another value', () => {
    const store = testStore();
    const steady = requests('prod-a', 'b', 4);
    const restarting: Target = {
      labels: { __name__: 'apiserver_request_total', cluster: 'prod-a', instance: 'a', verb: 'GET', code: '200' },
      // ends with a stale marker, is absent two minutes, comes back with a much larger value
      value: (t) =>
        t < T0 + 5 * MIN ? 100 + (t - T0) / 1000 : t === T0 + 5 * MIN ? STALE_NAN : t < T0 + 7 * MIN ? undefined : 1_000_000 + (t - T0) / 1000,
    };
    scrape(store, [steady, restarting], T0, T0 + 20 * MIN, 15_000);
    const values = finite(store, 'prod-a', SIGNALS.apiRequestRate, T0 + MIN, T0 + 19 * MIN);
    assert.ok(Math.max(...values) <= 5 + 1e-9, `max ${Math.max(...values)}`);
    assert.ok(Math.min(...values) >= 4 - 1e-9);
  });

  it('reads old and new request metric names across a mixed fleet, without double counting an instance that exports both', () => {
    const store = testStore();
    const newer = requests('new', 'a', 6);
    const older: Target = { ...requests('old', 'a', 6), labels: { ...requests('old', 'a', 6).labels, __name__: 'apiserver_request_count' } };
    const both = [requests('both', 'a', 6), { ...older, labels: { ...older.labels, cluster: 'both' } }];
    scrape(store, [newer, older, ...both], T0, T0 + 15 * MIN, 15_000);
    for (const cluster of ['new', 'old', 'both']) {
      const values = finite(store, cluster, SIGNALS.apiRequestRate, T0 + 2 * MIN, T0 + 12 * MIN);
      assert.equal(values.length, 41, cluster);
      for (const v of values) close(v, 6);
    }
  });

  it('classifies verbs and computes the throttling/error ratio', () => {
    const store = testStore();
    const t = (verb: string, code: string, rate: number): Target => requests('prod-a', 'a', rate, { verb, code });
    scrape(store, [t('GET', '200', 30), t('LIST', '200', 10), t('WATCH', '200', 2), t('PATCH', '200', 5), t('POST', '429', 2), t('GET', '503', 1)], T0, T0 + 10 * MIN, 15_000);
    const at = (signal: string): number => finite(store, 'prod-a', signal, T0 + 5 * MIN, T0 + 5 * MIN)[0]!;
    close(at(SIGNALS.apiRequestRate), 50);
    close(at(SIGNALS.apiReadRate), 41);
    close(at(SIGNALS.apiWatchRate), 2);
    close(at(SIGNALS.apiMutatingRate), 7);
    close(at(SIGNALS.apiErrorRatio), 3 / 50);
  });

  it('measures busy seats from the duration sum of non-long-running requests (Little’s law)', () => {
    const store = testStore();
    const sum = (instance: string, verb: string, secondsPerSecond: number, subresource = ''): Target => ({
      labels: { __name__: 'apiserver_request_duration_seconds_sum', cluster: 'prod-a', instance, verb, resource: 'pods', ...(subresource ? { subresource } : {}) },
      value: (t) => (secondsPerSecond * (t - T0)) / 1000,
    });
    scrape(store, [sum('a', 'LIST', 2.5), sum('b', 'LIST', 2.5), sum('a', 'GET', 0.5), sum('a', 'WATCH', 900), sum('a', 'CONNECT', 50), sum('b', 'GET', 70, 'log')], T0, T0 + 10 * MIN, 15_000);
    const values = finite(store, 'prod-a', SIGNALS.apiBusySeats, T0 + 2 * MIN, T0 + 8 * MIN);
    assert.equal(values.length, 25);
    for (const v of values) close(v, 5.5);
  });

  it('computes p99 latency from summed buckets of several instances, as histogram_quantile would', () => {
    const store = testStore();
    // per second per instance: 90 requests ≤ 0.1 s, 8 in (0.1, 0.5], 2 in (0.5, 1]
    const cumulativePerSecond: Record<string, number> = { '0.1': 90, '0.5': 98, '1': 100, '+Inf': 100 };
    const targets: Target[] = [];
    for (const instance of ['a', 'b', 'c'])
      for (const [le, perSecond] of Object.entries(cumulativePerSecond))
        targets.push({
          labels: { __name__: 'apiserver_request_duration_seconds_bucket', cluster: 'prod-a', instance, verb: 'GET', le },
          value: (t) => (perSecond * (t - T0)) / 1000,
        });
    scrape(store, targets, T0, T0 + 10 * MIN, 30_000, targets.map(() => 4_000));
    // rank 0.99 × 300 = 297 of 300 lies in (0.5, 1]: 294 below, 6 inside → 0.5 + 0.5 × 3/6
    const values = finite(store, 'prod-a', SIGNALS.apiLatencyP99, T0 + 2 * MIN, T0 + 8 * MIN);
    assert.equal(values.length, 25);
    for (const v of values) close(v, 0.75);
  });

  it('forgets idle series after ten minutes of event time and keeps memory flat under steady input', () => {
    const store = testStore();
    const steady = [requests('prod-a', 'a', 1), requests('prod-a', 'b', 1), requests('prod-b', 'a', 1)];
    const leaving = requests('prod-a', 'gone', 1);
    scrape(store, [...steady, leaving], T0, T0 + 5 * MIN, 15_000);
    const sizes: number[] = [];
    for (let hour = 0; hour < 2; hour++) {
      scrape(store, steady, T0 + 5 * MIN + 15_000 + hour * 60 * MIN, T0 + 65 * MIN + hour * 60 * MIN, 15_000);
      sizes.push(store.stats().activeSeries);
    }
    assert.deepEqual(sizes, [3, 3]);
    assert.equal(store.stats().evictedSeries, 1);
    assert.equal(store.stats().clusters, 2);
  });

  it('refuses new series beyond maxActiveSeries and says so', () => {
    const store = testStore({ maxActiveSeries: 2 });
    const batch = ['a', 'b', 'c'].map((i) => series(requests('prod-a', i, 1).labels, [[T0, 1]]));
    const result = store.append(batch);
    assert.equal(result.accepted, 2);
    assert.equal(result.rejected, 1);
    // known series keep flowing
    assert.equal(store.append(batch.slice(0, 2).map((s) => ({ ...s, samples: [{ timestampMs: T0 + STEP_MS, value: 2 }] }))).accepted, 2);
  });

  it('counts unwanted metrics as ignored and series without the cluster label apart', () => {
    const store = testStore();
    assert.equal(store.wants('go_goroutines'), false);
    assert.equal(store.wants('apiserver_request_total'), true);
    const result = store.append([
      series({ __name__: 'go_goroutines', cluster: 'x' }, [[T0, 1]]),
      series({ __name__: 'apiserver_request_total', verb: 'GET' }, [[T0, 1], [T0 + 1, 2]]),
    ]);
    assert.deepEqual(result, { accepted: 0, outOfOrder: 0, ignored: 1, missingCluster: 2, rejected: 0 });
    assert.equal(store.clusters().length, 0);
  });
});
