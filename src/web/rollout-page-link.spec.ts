import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertView } from '../alerts/alert.types.js';
import { alertAnnotations } from '../notify/channels/alert-annotations.js';
import { alertLinks } from '../notify/channels/alert-links.js';
import type { RenderInput } from '../notify/channels/render-input.js';
import { renderSlackMessage } from '../notify/channels/slack.message.js';
import { rolloutPagePath, rolloutPageUrl } from './rollout-page-link.js';

const alert: AlertView = {
  id: 'a1',
  fingerprint: 'f1',
  name: 'DnsFailureMaskedByCache',
  severity: 'critical',
  state: 'firing',
  startsAt: '2024-12-11T23:21:15.000Z',
  endsAt: null,
  rolloutId: 'telemetry agent/2024',
  wave: 'wave-4',
  clusters: ['giant-1'],
  timeToImpactSeconds: 300,
  labels: {},
  annotations: { summary: 's', description: 'd', runbook_url: '' },
  figures: {},
};

describe('links to the rollout page', () => {
  it('is relative without notify.externalUrl and absolute under it, the id escaped', () => {
    assert.equal(rolloutPagePath('telemetry agent/2024'), '/rollouts/telemetry%20agent%2F2024');
    assert.equal(rolloutPageUrl('r1', undefined), '/rollouts/r1');
    assert.equal(rolloutPageUrl('r1', 'https://wavewatch.example/base'), 'https://wavewatch.example/base/rollouts/r1');
    assert.equal(rolloutPageUrl('r1', 'https://wavewatch.example/base/'), 'https://wavewatch.example/base/rollouts/r1');
  });

  it('Slack gets a "Rollout page" button and Alertmanager a rollout_page_url annotation when externalUrl is set', () => {
    const links = alertLinks(alert, { grafanaUrl: undefined, runbookUrl: undefined, externalUrl: 'https://wavewatch.example' });
    assert.equal(links.rolloutPageUrl, 'https://wavewatch.example/rollouts/telemetry%20agent%2F2024');
    const input: RenderInput = { alert, kind: 'firing', routeKey: 'k', links, externalUrl: 'https://wavewatch.example', sentAtMs: 0, resendSeconds: 60 };
    const actions = (renderSlackMessage(input).blocks as { type: string; elements?: { url?: string; action_id?: string }[] }[]).find((b) => b.type === 'actions');
    assert.deepEqual(actions?.elements?.map((e) => [e.action_id, e.url]), [['open_rollout_page', links.rolloutPageUrl]]);
    assert.equal(alertAnnotations(input).rollout_page_url, links.rolloutPageUrl);
  });

  it('no link without externalUrl (a relative URL means nothing in Slack) or without a rollout', () => {
    assert.equal(alertLinks(alert, { grafanaUrl: undefined, runbookUrl: undefined }).rolloutPageUrl, null);
    assert.equal(alertLinks({ ...alert, rolloutId: null }, { grafanaUrl: undefined, runbookUrl: undefined, externalUrl: 'https://w.example' }).rolloutPageUrl, null);
  });
});
