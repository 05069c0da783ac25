import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCatalog } from './signal-catalog.js';
import { SIGNALS } from './signal.types.js';
import { finite, scrape, T0, testStore } from './testing/signal-fixtures.js';

const MIN = 60_000;

describe('signal definitions from config', () => {
  it('covers the whole default catalog', () => {
    const names = new Set(defaultCatalog().map((s) => s.name));
    for (const name of Object.values(SIGNALS)) assert.ok(names.has(name), name);
    assert.equal(names.size, defaultCatalog().length);
  });

  it('adds a user-defined signal and replaces a catalog signal of the same name', () => {
    const store = testStore({
      definitions: [
        { name: 'agent_list_rate', kind: 'counter_rate', metrics: ['apiserver_request_total'], matchers: { verb: 'LIST', client: '=~telemetry-agent.*' } },
        // a site whose inflight should only count mutating requests
        { name: SIGNALS.apiInflight, kind: 'gauge_max', metrics: ['apiserver_current_inflight_requests'], matchers: { request_kind: 'mutating' } },
        { name: 'etcd_p50', kind: 'histogram_p99', quantile: 0.5, metrics: ['etcd_request_duration_seconds'] },
      ],
    });
    const c = (labels: Record<string, string>, perSecond: number) => ({
      labels: { __name__: 'apiserver_request_total', cluster: 'prod-a', code: '200', ...labels },
      value: (t: number) => (perSecond * (t - T0)) / 1000,
    });
    const g = (kind: string, v: number) => ({
      labels: { __name__: 'apiserver_current_inflight_requests', cluster: 'prod-a', request_kind: kind },
      value: () => v,
    });
    const b = (le: string, perSecond: number) => ({
      labels: { __name__: 'etcd_request_duration_seconds_bucket', cluster: 'prod-a', operation: 'get', le },
      value: (t: number) => (perSecond * (t - T0)) / 1000,
    });
    scrape(
      store,
      [
        c({ verb: 'LIST', client: 'telemetry-agent/v1.4.0' }, 7),
        c({ verb: 'LIST', client: 'kubectl' }, 1),
        c({ verb: 'GET', client: 'telemetry-agent/v1.4.0' }, 3),
        g('mutating', 12),
        g('readOnly', 80),
        b('0.01', 10),
        b('0.1', 20),
        b('+Inf', 20),
      ],
      T0,
      T0 + 10 * MIN,
      15_000,
    );
    const at = (signal: string): number => finite(store, 'prod-a', signal, T0 + 5 * MIN, T0 + 5 * MIN)[0]!;
    assert.ok(Math.abs(at('agent_list_rate') - 7) < 1e-9);
    assert.equal(at(SIGNALS.apiInflight), 12);
    assert.ok(Math.abs(at('etcd_p50') - 0.01) < 1e-12);
    assert.ok(store.cluster('prod-a')!.signals.includes('agent_list_rate'));
  });

  it('rejects a definition with an invalid regex, naming it', () => {
    assert.throws(
      () => testStore({ definitions: [{ name: 'broken', kind: 'counter_rate', metrics: ['x_total'], matchers: { code: '=~5[' } }] }),
      /signals\.definitions broken: matcher code/,
    );
  });
});
