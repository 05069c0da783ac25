import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNALS } from './signal.types.js';
import { finite, scrape, T0, testStore, type Target } from './testing/signal-fixtures.js';

const MIN = 60_000;

const counter = (name: string, cluster: string, labels: Record<string, string>, perSecond: number): Target => ({
  labels: { __name__: name, cluster, ...labels },
  value: (t) => (perSecond * (t - T0)) / 1000,
});

function at(store: ReturnType<typeof testStore>, cluster: string, signal: string): number {
  const values = finite(store, cluster, signal, T0 + 5 * MIN, T0 + 5 * MIN);
  assert.equal(values.length, 1, `${cluster} ${signal}`);
  return values[0]!;
}

const near = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≉ ${b}`);

describe('signal store: DNS', () => {
  it('sees miss failures behind the cache by the plugin that wrote the response', () => {
    const store = testStore();
    const r = (instance: string, rcode: string, plugin: string, perSecond: number): Target =>
      counter('coredns_dns_responses_total', 'prod-a', { instance, rcode, plugin, server: 'dns://:53', zone: '.' }, perSecond);
    const targets = ['a', 'b'].flatMap((i) => [
      r(i, 'NOERROR', 'cache', 90),
      r(i, 'NOERROR', 'kubernetes', 6),
      r(i, 'SERVFAIL', 'kubernetes', 3),
      r(i, 'SERVFAIL', '', 1), // written by the server itself: not a cache hit
      counter('coredns_cache_hits_total', 'prod-a', { instance: i, type: 'success' }, 90),
      counter('coredns_cache_requests_total', 'prod-a', { instance: i }, 100),
      counter('coredns_dns_requests_total', 'prod-a', { instance: i, type: 'A' }, 100),
    ]);
    scrape(store, targets, T0, T0 + 10 * MIN, 15_000);
    near(at(store, 'prod-a', SIGNALS.dnsServfailRatio), 4 / 100);
    near(at(store, 'prod-a', SIGNALS.dnsMissFailureRatio), 4 / 10);
    near(at(store, 'prod-a', SIGNALS.dnsCacheHitRatio), 0.9);
    near(at(store, 'prod-a', SIGNALS.dnsRequestRate), 200);
  });

  it('falls back to forward rcodes, then kubernetes API errors, and to hits + misses on older CoreDNS', () => {
    const store = testStore();
    scrape(
      store,
      [
        // CoreDNS 1.11+: proxy durations by rcode, no plugin label on responses
        counter('coredns_dns_responses_total', 'proxy', { rcode: 'NOERROR' }, 99),
        counter('coredns_dns_responses_total', 'proxy', { rcode: 'SERVFAIL' }, 1),
        counter('coredns_proxy_request_duration_seconds_count', 'proxy', { rcode: 'NOERROR', to: '10.0.0.1:53' }, 16),
        counter('coredns_proxy_request_duration_seconds_count', 'proxy', { rcode: 'REFUSED', to: '10.0.0.1:53' }, 4),
        counter('coredns_cache_hits_total', 'proxy', { type: 'success' }, 80),
        counter('coredns_cache_misses_total', 'proxy', {}, 20),
        // older: forward responses
        counter('coredns_forward_responses_total', 'forward', { rcode: 'NOERROR', to: 'x' }, 9),
        counter('coredns_forward_responses_total', 'forward', { rcode: 'SERVFAIL', to: 'x' }, 1),
        // only the kubernetes plugin's client: 5xx and transport errors over all requests
        counter('coredns_kubernetes_rest_client_requests_total', 'k8s', { code: '200', method: 'GET' }, 6),
        counter('coredns_kubernetes_rest_client_requests_total', 'k8s', { code: '503', method: 'GET' }, 1),
        counter('coredns_kubernetes_rest_client_requests_total', 'k8s', { code: '<error>', method: 'GET' }, 1),
        // the oldest names
        counter('coredns_dns_response_rcode_count_total', 'old', { rcode: 'NOERROR' }, 49),
        counter('coredns_dns_response_rcode_count_total', 'old', { rcode: 'SERVFAIL' }, 1),
        counter('coredns_dns_request_count_total', 'old', {}, 50),
      ],
      T0,
      T0 + 10 * MIN,
      30_000,
    );
    near(at(store, 'proxy', SIGNALS.dnsMissFailureRatio), 0.2);
    near(at(store, 'proxy', SIGNALS.dnsServfailRatio), 0.01);
    near(at(store, 'proxy', SIGNALS.dnsCacheHitRatio), 0.8);
    near(at(store, 'forward', SIGNALS.dnsMissFailureRatio), 0.1);
    near(at(store, 'k8s', SIGNALS.dnsMissFailureRatio), 0.25);
    near(at(store, 'old', SIGNALS.dnsServfailRatio), 0.02);
    near(at(store, 'old', SIGNALS.dnsRequestRate), 50);
  });

  it('sums cache entries and rates served-stale answers', () => {
    const store = testStore();
    scrape(
      store,
      [
        { labels: { __name__: 'coredns_cache_entries', cluster: 'c', instance: 'a', type: 'success' }, value: () => 700 },
        { labels: { __name__: 'coredns_cache_entries', cluster: 'c', instance: 'a', type: 'denial' }, value: () => 50 },
        { labels: { __name__: 'coredns_cache_size', cluster: 'old', instance: 'a', type: 'success' }, value: () => 12 },
        counter('coredns_cache_served_stale_total', 'c', { instance: 'a' }, 7),
      ],
      T0,
      T0 + 10 * MIN,
      15_000,
    );
    assert.equal(at(store, 'c', SIGNALS.dnsCacheEntries), 750);
    assert.equal(at(store, 'old', SIGNALS.dnsCacheEntries), 12);
    near(at(store, 'c', SIGNALS.dnsServedStaleRate), 7);
  });
});
