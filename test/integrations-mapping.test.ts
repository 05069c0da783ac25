import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config/load-config.js';
import { mapArgoNotification } from '../src/rollouts/integrations/argo.mapping.js';
import { flaggerPayload, flaggerRolloutId, mapFlaggerEvent } from '../src/rollouts/integrations/flagger.mapping.js';
import { mapGithubDelivery } from '../src/rollouts/integrations/github.mapping.js';
import type { Mapped } from '../src/rollouts/integrations/integration-event.js';
import { parseLenientJson } from '../src/rollouts/integrations/lenient-body.js';
import { mapSpinnakerEvent } from '../src/rollouts/integrations/spinnaker.mapping.js';
import { fixture, notificationTemplate } from './support/integration-fixtures.js';
import { renderGoTemplate } from './support/go-template.js';

// The pure mappings from each tool's real payload (fixtures name their source) to deploy events.
const keys = loadConfig({}).integrations;
const eventsOf = (m: Mapped) => {
  assert.ok('events' in m, `expected events, got ${JSON.stringify(m)}`);
  return m.events;
};

const templateBody = (cmPath: string, name: string): string => notificationTemplate(cmPath, name).body;

describe('Flagger mapping', () => {
  const f = fixture<{ event: { body: unknown }; confirm: { body: unknown } }>('flagger-webhooks.json', 'agent-v2');

  it('maps an event hook Progressing to cluster_started of the ?cluster and ?wave, version from checksum', () => {
    const [e] = eventsOf(mapFlaggerEvent(flaggerPayload(f.event.body), { cluster: 'prod-a', wave: 'wave-1' }, keys.flagger));
    assert.deepEqual(
      { type: e?.type, rolloutId: e?.rolloutId, wave: e?.wave, clusters: e?.clusters, version: e?.version, at: e?.at },
      { type: 'cluster_started', rolloutId: 'agent-v2', wave: 'wave-1', clusters: ['prod-a'], version: '6d8f9c7b5f', at: '2025-01-01T00:01:00.000Z' },
    );
  });

  it('maps Succeeded and Failed, ignores other phases, and names namespace/name without a rolloutId', () => {
    const base = flaggerPayload(f.event.body);
    const at = (phase: string) => mapFlaggerEvent({ ...base, phase }, { cluster: 'c', wave: 'w' }, keys.flagger);
    assert.equal(eventsOf(at('Succeeded'))[0]?.type, 'cluster_completed');
    assert.equal(eventsOf(at('Failed'))[0]?.type, 'cluster_failed');
    assert.deepEqual(at('Promoting'), { ignored: 'phase Promoting does not change rollout state' });
    assert.equal(flaggerRolloutId({ ...base, metadata: {} }, keys.flagger), 'telemetry/telemetry-agent');
  });

  it('refuses an event without a cluster or wave, naming where to put it', () => {
    assert.throws(() => mapFlaggerEvent(flaggerPayload(f.event.body), { wave: 'w' }, keys.flagger), /cluster: add \?cluster=/);
    assert.throws(() => flaggerPayload({ phase: 'Progressing' }), /Flagger webhook payload/);
  });
});

describe('Argo notifications mapping (shipped templates rendered from real objects)', () => {
  const app = fixture<{ app: Record<string, unknown> }>('argocd-application.json', 'agent-v2');
  const rollout = fixture<{ rollout: Record<string, unknown>; context: Record<string, unknown> }>('argo-rollout.json', 'agent-v2');
  const cd = 'deploy/argo/argocd-notifications-cm.yaml';
  const ro = 'deploy/argo/argo-rollouts-notification-cm.yaml';

  for (const [template, type] of [
    ['wavewatch-sync-running', 'cluster_started'],
    ['wavewatch-deployed', 'cluster_completed'],
    ['wavewatch-sync-failed', 'cluster_failed'],
  ] as const) {
    it(`Argo CD ${template} → ${type} of the Application's labelled rollout, wave and cluster`, () => {
      const body = parseLenientJson(renderGoTemplate(templateBody(cd, template), app));
      const [e] = eventsOf(mapArgoNotification(body, keys.argo));
      assert.deepEqual([e?.type, e?.rolloutId, e?.wave, e?.clusters], [type, 'agent-v2', 'wave-1', ['prod-a']]);
      assert.equal(e?.version, 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
    });
  }

  for (const [template, type] of [
    ['wavewatch-rollout-step-completed', 'cluster_started'],
    ['wavewatch-rollout-completed', 'cluster_completed'],
    ['wavewatch-rollout-aborted', 'cluster_failed'],
  ] as const) {
    it(`Argo Rollouts ${template} → ${type}, the cluster from the ConfigMap context`, () => {
      const body = parseLenientJson(renderGoTemplate(templateBody(ro, template), rollout));
      const [e] = eventsOf(mapArgoNotification(body, keys.argo));
      assert.deepEqual([e?.type, e?.rolloutId, e?.wave, e?.clusters, e?.version], [type, 'agent-v2', 'wave-2', ['prod-b'], '7d9f8c6b54']);
    });
  }

  it('falls back to the destination when no cluster label is set, and names the missing rollout label', () => {
    const meta = app.app.metadata as { labels: Record<string, string> };
    const unlabelled = { ...app, app: { ...app.app, metadata: { ...meta, labels: { 'wavewatch.io/rollout': 'r', 'wavewatch.io/wave': 'w' } } } };
    const [e] = eventsOf(mapArgoNotification(parseLenientJson(renderGoTemplate(templateBody(cd, 'wavewatch-deployed'), unlabelled)), keys.argo));
    assert.deepEqual(e?.clusters, ['prod-a.example']);
    assert.throws(() => mapArgoNotification({ trigger: 'on-deployed', name: 'x', labels: {} }, keys.argo), /no label or annotation wavewatch.io\/rollout/);
  });

  it('parses templated JSON leniently: trailing commas and Go\'s <no value>', () => {
    assert.deepEqual(parseLenientJson('{"a": <no value>, "b": "x<no value>", }'), { a: null, b: 'x' });
    assert.throws(() => parseLenientJson('not json'), /invalid JSON/);
  });
});

describe('GitHub mapping', () => {
  const g = fixture<Record<'deployment' | 'deployment_status' | 'ping', { headers: Record<string, string>; body: Record<string, unknown> }>>('github-deliveries.json');
  const deliver = (name: 'deployment' | 'deployment_status' | 'ping', body = g[name].body) =>
    mapGithubDelivery({ event: g[name].headers['x-github-event']!, deliveryId: g[name].headers['x-github-delivery'], body }, keys.github.payloadKey);

  it('maps deployment to a start of the environment as wave; the rollout is <repo>-<sha7>; the delivery id is the event id', () => {
    const [e] = eventsOf(deliver('deployment'));
    assert.deepEqual(
      { eventId: e?.eventId, type: e?.type, rolloutId: e?.rolloutId, wave: e?.wave, service: e?.service, at: e?.at },
      { eventId: 'github:72d3162e-cc78-11e3-81ab-4c9367dc0958', type: 'cluster_started', rolloutId: 'Hello-World-f95f852', wave: 'production', service: 'Hello-World', at: '2019-05-15T15:20:53.000Z' },
    );
  });

  it('takes rollout and clusters from deployment.payload.wavewatch (object or JSON string)', () => {
    const deployment = { ...(g.deployment.body.deployment as object), payload: JSON.stringify({ wavewatch: { rolloutId: 'agent-v2', clusters: ['prod-a', 'prod-b'] } }) };
    const [e] = eventsOf(deliver('deployment', { ...g.deployment.body, deployment }));
    assert.deepEqual([e?.type, e?.rolloutId, e?.clusters], ['wave_started', 'agent-v2', ['prod-a', 'prod-b']]);
  });

  it('maps deployment_status success/failure/in_progress and ignores inactive and ping', () => {
    const status = (state: string) => deliver('deployment_status', { ...g.deployment_status.body, deployment_status: { ...(g.deployment_status.body.deployment_status as object), state } });
    assert.equal(eventsOf(status('success'))[0]?.type, 'cluster_completed');
    assert.equal(eventsOf(status('failure'))[0]?.type, 'cluster_failed');
    assert.equal(eventsOf(status('error'))[0]?.type, 'cluster_failed');
    assert.equal(eventsOf(status('in_progress'))[0]?.type, 'cluster_started');
    assert.deepEqual(status('inactive'), { ignored: 'deployment_status inactive does not change rollout state' });
    assert.deepEqual(deliver('ping'), { ignored: 'ping' });
  });
});

describe('Spinnaker mapping', () => {
  const s = fixture<Record<string, unknown>>('spinnaker-echo-events.json', 'agent-v2');

  it('maps wrapped stage events of a wave to cluster events of the stage account', () => {
    const started = eventsOf(mapSpinnakerEvent(s.stageStarting, keys.spinnaker))[0];
    assert.deepEqual(
      { type: started?.type, rolloutId: started?.rolloutId, wave: started?.wave, clusters: started?.clusters, version: started?.version, eventId: started?.eventId },
      { type: 'cluster_started', rolloutId: 'agent-v2', wave: 'wave-1', clusters: ['prod-a'], version: 'v1.4.0', eventId: 'spinnaker:2b5f0a55-8b0e-4a3f-9d4c-5a6e7f8a9b01' },
    );
    assert.equal(eventsOf(mapSpinnakerEvent(s.stageComplete, keys.spinnaker))[0]?.type, 'cluster_completed');
    assert.equal(eventsOf(mapSpinnakerEvent(s.stageFailed, keys.spinnaker))[0]?.type, 'cluster_failed');
  });

  it('maps unwrapped pipeline events, reads flattened (string) details, and ignores stages without a wave', () => {
    assert.equal(eventsOf(mapSpinnakerEvent(s.pipelineStarting, keys.spinnaker))[0]?.type, 'rollout_started');
    const p = s.pipelineStarting as { details: object; content: object };
    const flattened = { ...p, details: JSON.stringify(p.details), content: JSON.stringify(p.content) };
    assert.equal(eventsOf(mapSpinnakerEvent(flattened, keys.spinnaker))[0]?.rolloutId, 'agent-v2');
    assert.deepEqual(mapSpinnakerEvent(s.waitStage, keys.spinnaker), { ignored: 'stage has no wavewatchWave in its context' });
    assert.throws(() => mapSpinnakerEvent({ eventName: 'x' }, keys.spinnaker), /Echo event/);
  });
});
