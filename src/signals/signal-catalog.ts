import { signalDefinitions } from './signal-catalog.definitions.js';
import { specFromDefinition, term } from './signal-definitions.js';
import type { SignalSpec } from './signal-spec.js';
import { SIGNALS } from './signal.types.js';

// The default catalog (DESIGN §4). Most signals are plain config-style definitions
// (signal-catalog.definitions.ts); the few below need what a config entry cannot say:
// a sum of two metrics, a guard on a label's presence, or a per-series transform.

const CACHE_HITS = 'coredns_cache_hits_total';
const RESPONSES = 'coredns_dns_responses_total';

const notOk = { rcode: '!~NOERROR|NXDOMAIN' };

// the forward plugin's failing upstream answers, by CoreDNS version
const FORWARD_FAILURES = [
  { terms: [term('coredns_proxy_request_duration_seconds_count', notOk)], denominator: [term('coredns_proxy_request_duration_seconds_count')] },
  { terms: [term('coredns_forward_responses_total', notOk)], denominator: [term('coredns_forward_responses_total')] },
  { terms: [term('coredns_forward_response_rcode_count_total', notOk)], denominator: [term('coredns_forward_response_rcode_count_total')] },
];

const special: SignalSpec[] = [
  {
    name: SIGNALS.dnsCacheHitRatio,
    kind: 'counter_ratio',
    alternatives: [
      { terms: [term(CACHE_HITS)], denominator: [term('coredns_cache_requests_total')] },
      // CoreDNS before cache_requests_total: hits / (hits + misses)
      { terms: [term(CACHE_HITS)], denominator: [term(CACHE_HITS), term('coredns_cache_misses_total')] },
    ],
  },
  {
    // The hidden failure: cache misses that fail while hits still answer.
    name: SIGNALS.dnsMissFailureRatio,
    kind: 'counter_ratio',
    alternatives: [
      {
        // responses written by any plugin but `cache`, where CoreDNS labels the writer
        terms: [term(RESPONSES, { rcode: 'SERVFAIL', plugin: '!=cache' })],
        denominator: [term(RESPONSES, { plugin: '!=cache' })],
        requires: [term(RESPONSES, { plugin: '=~.+' })],
      },
      ...FORWARD_FAILURES,
      {
        terms: [term('coredns_kubernetes_rest_client_requests_total', { code: '=~5..|<error>' })],
        denominator: [term('coredns_kubernetes_rest_client_requests_total')],
      },
    ],
  },
  // the miss failure split by backend, so a finding can name its cause
  {
    name: SIGNALS.dnsUpstreamFailureRatio,
    kind: 'counter_ratio',
    alternatives: [
      {
        terms: [term(RESPONSES, { rcode: 'SERVFAIL', plugin: 'forward' })],
        denominator: [term(RESPONSES, { plugin: 'forward' })],
        requires: [term(RESPONSES, { plugin: '=~.+' })],
      },
      ...FORWARD_FAILURES,
    ],
  },
  {
    name: SIGNALS.dnsKubernetesFailureRatio,
    kind: 'counter_ratio',
    alternatives: [
      {
        terms: [term(RESPONSES, { rcode: 'SERVFAIL', plugin: 'kubernetes' })],
        denominator: [term(RESPONSES, { plugin: 'kubernetes' })],
        requires: [term(RESPONSES, { plugin: '=~.+' })],
      },
      {
        terms: [term('coredns_kubernetes_rest_client_requests_total', { code: '=~5..|<error>' })],
        denominator: [term('coredns_kubernetes_rest_client_requests_total')],
      },
    ],
  },
  // one readOnly inflight series per apiserver instance; the default capacity scales with it
  {
    name: SIGNALS.apiInstances,
    kind: 'gauge_sum',
    alternatives: [
      { terms: [term('apiserver_current_inflight_requests', { request_kind: 'readOnly' }, 'one')] },
      { terms: [term('apiserver_current_inflight_requests', { requestKind: 'readOnly' }, 'one')] },
    ],
  },
  { name: SIGNALS.targetsUp, kind: 'gauge_sum', alternatives: [{ terms: [term('up', undefined, 'value')] }] },
  // 1 − up per target, and a target whose series went stale counts as down until evicted
  { name: SIGNALS.targetsDown, kind: 'gauge_sum', alternatives: [{ terms: [term('up', undefined, 'down')] }] },
];

export function defaultCatalog(): SignalSpec[] {
  return [...signalDefinitions.map(specFromDefinition), ...special];
}
