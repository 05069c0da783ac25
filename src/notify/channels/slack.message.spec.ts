import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertView } from '../../alerts/alert.types.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { renderSlackMessage } from './slack.message.js';
import type { RenderInput } from './render-input.js';

const alert = (overrides: Partial<AlertView> = {}): AlertView => ({
  id: 'a1',
  fingerprint: 'f1',
  name: 'DnsFailureMaskedByCache',
  severity: 'warning',
  state: 'firing',
  startsAt: '2024-12-11T22:53:15.000Z',
  endsAt: null,
  rolloutId: 'r1',
  wave: 'wave-1',
  clusters: ['c1'],
  timeToImpactSeconds: 900,
  labels: {},
  annotations: { summary: 's', description: 'd', runbook_url: '' },
  figures: { visibleErrorRatio: 0.002, missFailureRatio: 0.4 },
  ...overrides,
});

const input = (a: AlertView, links: RenderInput['links'] = { dashboardUrl: null, runbookUrl: null }): RenderInput => ({
  alert: a,
  kind: a.state,
  routeKey: 'k',
  links,
  externalUrl: null,
  sentAtMs: 0,
  resendSeconds: 60,
});

type AnyBlock = { type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text: unknown; url?: string }> };

describe('Slack message', () => {
  it('truncates every text to the Block Kit limits instead of failing', () => {
    const huge = 'x'.repeat(10_000);
    const msg = renderSlackMessage(
      input(alert({ rolloutId: huge, wave: huge, clusters: Array.from({ length: 3000 }, (_, i) => `cluster-${i}`), annotations: { summary: huge, description: huge, runbook_url: '' } })),
    );
    const blocks = msg.blocks as AnyBlock[];
    assert.ok(msg.text.length <= SLACK_LIMITS.text);
    assert.ok(blocks.length <= SLACK_LIMITS.blocks);
    const header = blocks.find((b) => b.type === 'header');
    assert.ok((header?.text?.text.length ?? 0) <= SLACK_LIMITS.headerText);
    for (const b of blocks) {
      if (b.text) assert.ok(b.text.text.length <= SLACK_LIMITS.sectionText, `${b.type} text is ${b.text.text.length} chars`);
      if (b.fields) {
        assert.ok(b.fields.length <= SLACK_LIMITS.sectionFields);
        for (const f of b.fields) assert.ok(f.text.length <= SLACK_LIMITS.fieldText, `field is ${f.text.length} chars`);
      }
    }
    assert.match(JSON.stringify(blocks), /… and \d+ more/, 'a long cluster list says how many were left out');
  });

  it('leaves out a link button whose URL is too long rather than cutting the URL', () => {
    const long = `https://grafana.example/d/x?${'a'.repeat(3100)}`;
    const msg = renderSlackMessage(input(alert(), { dashboardUrl: long, runbookUrl: 'https://runbooks.example/dns' }));
    const actions = (msg.blocks as AnyBlock[]).find((b) => b.type === 'actions');
    assert.deepEqual(
      actions?.elements?.map((e) => e.url),
      ['https://runbooks.example/dns'],
    );
  });

  it('escapes mrkdwn control characters in alert text', () => {
    const msg = renderSlackMessage(input(alert({ annotations: { summary: '<!channel> & co', description: '', runbook_url: '' } })));
    assert.match(msg.text, /&lt;!channel&gt; &amp; co/);
    assert.doesNotMatch(JSON.stringify(msg), /<!channel>/);
  });

  it('shows DNS figures and time to impact for a masked DNS failure', () => {
    const fields = (renderSlackMessage(input(alert())).blocks as AnyBlock[]).flatMap((b) => b.fields ?? []).map((f) => f.text);
    assert.ok(fields.includes('*DNS SERVFAIL*\nvisible 0.2 % vs miss-failure 40 %'), fields.join(' | '));
    assert.ok(fields.includes('*Time to impact*\n~15m'));
  });
});
