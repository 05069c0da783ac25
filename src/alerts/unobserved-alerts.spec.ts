import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisResult, ClusterStatus } from '../analysis/analysis.types.js';
import type { AlertRecord } from './alert-lifecycle.js';
import type { AlertName } from './alert.types.js';
import { unobservedAlerts } from './unobserved-alerts.js';

const record = (name: AlertName, cluster: string): AlertRecord => ({
  fingerprint: `${name}/${cluster}`,
  name,
  severity: 'critical',
  rolloutId: 'r1',
  wave: 'w1',
  clusters: [cluster],
  onsetMs: 0,
  timeToImpactSeconds: null,
  labels: {},
  annotations: { summary: '', description: '', runbook_url: '' },
  figures: {},
  id: `id-${name}-${cluster}`,
  state: 'firing',
  startsAtMs: 0,
  endsAtMs: null,
  lastSeenMs: 0,
  heldSteps: 1,
  clearSteps: 0,
});
const status = (cluster: string): ClusterStatus => ({ cluster, nodes: null, capacitySeats: 600, busySeats: null, utilization: null, lastSampleMs: null, dns: null });
const result = (clusters: string[], controlPlane: string[], dns: string[]): AnalysisResult => ({
  evaluatedAt: 0,
  findings: [],
  rollouts: [],
  clusters: clusters.map(status),
  unobserved: { controlPlane, dns },
});

describe('alerts held open while their cluster is unobserved', () => {
  const open = [record('RolloutControlPlaneOverload', 'a'), record('DnsFailureMaskedByCache', 'a'), record('TelemetryLost', 'a'), record('ControlPlaneOverload', 'gone')];

  it('holds overload alerts of a cluster whose API-server signals are dark, and alerts of clusters the store no longer has', () => {
    assert.deepEqual([...unobservedAlerts(open, result(['a'], ['a'], []))].sort(), ['ControlPlaneOverload/gone', 'RolloutControlPlaneOverload/a']);
  });

  it('holds DNS alerts of a cluster whose CoreDNS ratios are dark', () => {
    assert.deepEqual([...unobservedAlerts(open, result(['a', 'gone'], [], ['a']))], ['DnsFailureMaskedByCache/a']);
  });

  it('holds nothing when every cluster is observed, or when the result says nothing about observability', () => {
    assert.deepEqual([...unobservedAlerts(open, result(['a', 'gone'], [], []))], []);
    assert.deepEqual([...unobservedAlerts(open, { evaluatedAt: 0, findings: [], rollouts: [], clusters: [] })], []);
  });
});
