import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawSeries } from './signal.types.js';
import { series, T0, testStore } from './testing/signal-fixtures.js';

// Decoders hand the store the same frozen label list for a series on every request; the
// store remembers its id. These check that shortcut never sends samples to the wrong series.

const MIN = 60_000;
const requests = (instance: string): Record<string, string> => ({ __name__: 'apiserver_request_total', cluster: 'prod-a', code: '200', instance, verb: 'GET' });
const frozen = (labels: Record<string, string>): RawSeries['labels'] => Object.freeze([...series(labels, []).labels]);
const at = (labels: RawSeries['labels'], t: number, value: number): RawSeries => ({ labels, samples: [{ timestampMs: t, value }] });

describe('signal store: reused frozen label lists', () => {
  it('finds the same series through a reused list: an older sample is out of order', () => {
    const store = testStore();
    const a = frozen(requests('a'));
    assert.equal(store.append([at(a, T0 + MIN, 1)]).accepted, 1);
    assert.equal(store.append([at(a, T0 + MIN, 2)]).outOfOrder, 1);
    // a fresh, equal list reaches the same series too
    assert.equal(store.append([series(requests('a'), [[T0, 3]])]).outOfOrder, 1);
    assert.equal(store.stats().activeSeries, 1);
  });

  it('does not follow a remembered id once its series was forgotten and the id reused', () => {
    const store = testStore();
    const a = frozen(requests('a'));
    store.append([at(a, T0, 1), series(requests('c'), [[T0, 1]])]);
    store.append([series(requests('c'), [[T0 + 11 * MIN, 2]])]);
    store.sweep();
    assert.equal(store.stats().activeSeries, 1, 'a was idle for 11 minutes');
    // b takes the id a had; a's list must not land in b
    store.append([series(requests('b'), [[T0 + 11 * MIN, 1]])]);
    const result = store.append([at(a, T0 + 11 * MIN, 5)]);
    assert.equal(result.accepted, 1);
    assert.equal(result.outOfOrder, 0);
    assert.equal(store.stats().activeSeries, 3);
  });
});
