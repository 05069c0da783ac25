import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertView } from '../../alerts/alert.types.js';
import { groupKey, groupLabels } from './group-labels.js';
import { planGroupFlush, type GroupMember } from './group-plan.js';

const alert = (fp: string, overrides: Partial<AlertView> = {}): AlertView => ({
  id: `id-${fp}`,
  fingerprint: fp,
  name: 'TelemetryLost',
  severity: 'warning',
  state: 'firing',
  startsAt: '2024-12-11T22:53:15.000Z',
  endsAt: null,
  rolloutId: 'r1',
  wave: 'wave-1',
  clusters: [`c-${fp}`],
  timeToImpactSeconds: null,
  labels: {},
  annotations: { summary: '', description: '', runbook_url: '' },
  figures: {},
  ...overrides,
});
const firing = (fp: string): GroupMember => ({ id: `f-${fp}`, kind: 'firing', alert: alert(fp) });
const resolved = (fp: string): GroupMember => ({ id: `r-${fp}`, kind: 'resolved', alert: alert(fp, { state: 'resolved', endsAt: '2024-12-11T23:00:00.000Z' }) });
const plan = (members: GroupMember[], o: { announced?: string[]; groupWaitSeconds?: number; sendResolved?: boolean; repeatDue?: boolean } = {}) =>
  planGroupFlush({
    announced: Object.fromEntries((o.announced ?? []).map((fp) => [fp, alert(fp)])),
    members,
    groupWaitSeconds: o.groupWaitSeconds ?? 0,
    sendResolved: o.sendResolved ?? true,
    repeatDue: o.repeatDue ?? false,
  });

describe('group flush plan', () => {
  it('folds every new firing alert into one message', () => {
    const p = plan(['a', 'b', 'c'].map(firing));
    assert.deepEqual(p.message?.firing.map((a) => a.fingerprint), ['a', 'b', 'c']);
    assert.deepEqual(p.message?.added, ['a', 'b', 'c']);
    assert.equal(p.deferred, 0);
  });

  it('without a group wait, keeps a RESOLVED for the message after its FIRING', () => {
    const p = plan([firing('a'), resolved('a')]);
    assert.deepEqual(p.message?.firing.map((a) => a.fingerprint), ['a']);
    assert.equal(p.deferred, 1);
    assert.equal(p.statuses.has('r-a'), false);
  });

  it('with a group wait, announces an alert that fired and resolved meanwhile only as resolved', () => {
    const p = plan([firing('a'), resolved('a'), firing('b')], { groupWaitSeconds: 30 });
    assert.equal(p.statuses.get('f-a'), 'superseded');
    assert.deepEqual(p.message?.resolved.map((a) => a.fingerprint), ['a']);
    assert.deepEqual(p.message?.added, ['b']);
  });

  it('lists resolved alerts and keeps the rest firing; sendResolved false mutes them', () => {
    const p = plan([resolved('a')], { announced: ['a', 'b'] });
    assert.deepEqual(p.message?.firing.map((a) => a.fingerprint), ['b']);
    assert.deepEqual(p.message?.resolved.map((a) => a.fingerprint), ['a']);
    const muted = plan([resolved('a')], { announced: ['a', 'b'], sendResolved: false });
    assert.equal(muted.message, null, 'a resolve nobody wants is no news');
    assert.equal(muted.statuses.get('r-a'), 'muted');
    assert.deepEqual(Object.keys(muted.announced), ['b']);
  });

  it('sends a reminder only while something fires', () => {
    assert.equal(plan([], { announced: ['a'], repeatDue: true }).message?.repeat, true);
    assert.equal(plan([], { repeatDue: true }).message, null);
  });
});

describe('group labels', () => {
  it('groups by alertname and rollout by default, by every label with ...', () => {
    const a = alert('a', { labels: { team: 'sre' } });
    assert.deepEqual(groupLabels(['alertname', 'rolloutId'], a), { alertname: 'TelemetryLost', rollout: 'r1' });
    assert.deepEqual(groupLabels(['team', 'missing'], a), { team: 'sre' });
    assert.equal(groupLabels(['...'], a).cluster, 'c-a');
    assert.equal(groupKey({ b: '1', a: '2' }), groupKey({ a: '2', b: '1' }), 'key order does not matter');
    assert.notEqual(groupKey({ rollout: 'r1' }), groupKey({ rollout: 'r2' }));
  });
});
