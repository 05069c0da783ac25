import type { SignalDefinitionConfig } from '../config/config.schema.js';
import { SIGNALS } from './signal.types.js';

// The part of the default catalog a user could have written in the config file
// (`signals.definitions` takes the same shape). Metrics are alternatives: current name
// first, older names after.

const REQUESTS = ['apiserver_request_total', 'apiserver_request_count'];
// Long-running requests hold no seat of the max-inflight / APF budget.
const NON_LONG_RUNNING = { verb: '!~WATCH|WATCHLIST|CONNECT', subresource: '!~log|exec|portforward|attach|proxy' };

export const signalDefinitions: readonly SignalDefinitionConfig[] = [
  { name: SIGNALS.apiRequestRate, kind: 'counter_rate', metrics: REQUESTS },
  { name: SIGNALS.apiReadRate, kind: 'counter_rate', metrics: REQUESTS, matchers: { verb: '=~GET|LIST' } },
  { name: SIGNALS.apiWatchRate, kind: 'counter_rate', metrics: REQUESTS, matchers: { verb: '=~WATCH|WATCHLIST' } },
  {
    name: SIGNALS.apiMutatingRate,
    kind: 'counter_rate',
    metrics: REQUESTS,
    matchers: { verb: '=~POST|PUT|PATCH|DELETE|DELETECOLLECTION|APPLY' },
  },
  { name: SIGNALS.apiErrorRatio, kind: 'counter_ratio', metrics: REQUESTS, matchers: { code: '=~429|5..' } },
  { name: SIGNALS.apiRejectedRate, kind: 'counter_rate', metrics: ['apiserver_flowcontrol_rejected_requests_total'] },
  {
    name: SIGNALS.apiTerminationsRate,
    kind: 'counter_rate',
    metrics: ['apiserver_request_terminations_total', 'apiserver_dropped_requests_total'],
  },
  {
    name: SIGNALS.apiLatencyP99,
    kind: 'histogram_p99',
    metrics: ['apiserver_request_duration_seconds_bucket', 'apiserver_request_sli_duration_seconds_bucket'],
    matchers: NON_LONG_RUNNING,
  },
  // Little's law: seconds of request time per second = average busy seats
  { name: SIGNALS.apiBusySeats, kind: 'counter_rate', metrics: ['apiserver_request_duration_seconds_sum'], matchers: NON_LONG_RUNNING },
  { name: SIGNALS.apiInflight, kind: 'gauge_sum', metrics: ['apiserver_current_inflight_requests'] },
  { name: SIGNALS.apiQueued, kind: 'gauge_sum', metrics: ['apiserver_flowcontrol_current_inqueue_requests'] },
  { name: SIGNALS.apiCapacitySeats, kind: 'gauge_sum', metrics: ['apiserver_flowcontrol_nominal_limit_seats'] },
  { name: SIGNALS.etcdLatencyP99, kind: 'histogram_p99', metrics: ['etcd_request_duration_seconds_bucket'] },
  // every apiserver reports the same count: max, not sum
  { name: SIGNALS.nodes, kind: 'gauge_max', metrics: ['apiserver_storage_objects', 'apiserver_resource_objects'], matchers: { resource: 'nodes' } },
  { name: SIGNALS.dnsRequestRate, kind: 'counter_rate', metrics: ['coredns_dns_requests_total', 'coredns_dns_request_count_total'] },
  {
    name: SIGNALS.dnsServfailRatio,
    kind: 'counter_ratio',
    metrics: ['coredns_dns_responses_total', 'coredns_dns_response_rcode_count_total'],
    matchers: { rcode: 'SERVFAIL' },
  },
  { name: SIGNALS.dnsServedStaleRate, kind: 'counter_rate', metrics: ['coredns_cache_served_stale_total'] },
  { name: SIGNALS.dnsCacheEntries, kind: 'gauge_sum', metrics: ['coredns_cache_entries', 'coredns_cache_size'] },
];
