import type { AlertLinks } from './alert-links.js';
import { escapeMrkdwn, SLACK_LIMITS } from './slack-limits.js';
import { episodeDuration, formatTime, keyFigures, listWithMore, truncate } from './message-format.js';
import type { RenderInput } from './render-input.js';

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: TextObject; url: string; action_id: string }> };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const L = SLACK_LIMITS;
export const mrkdwn = (text: string, max: number): TextObject => ({ type: 'mrkdwn', text: truncate(text, max) });
export const field = (label: string, value: string): TextObject => mrkdwn(`*${escapeMrkdwn(label)}*\n${value}`, L.fieldText);

function stateWord(input: RenderInput): string {
  switch (input.kind) {
    case 'firing':
      return 'FIRING';
    case 'repeat':
      return 'STILL FIRING';
    case 'resolved':
      return 'RESOLVED';
  }
}

function fields(input: RenderInput): TextObject[] {
  const a = input.alert;
  const out = [field('Severity', a.severity)];
  if (a.rolloutId) out.push(field('Rollout', escapeMrkdwn(a.rolloutId)));
  if (a.wave) out.push(field('Wave', escapeMrkdwn(a.wave)));
  if (a.clusters.length > 0) out.push(field(`Clusters (${a.clusters.length})`, escapeMrkdwn(listWithMore(a.clusters, 1500))));
  for (const figure of keyFigures(a)) out.push(field(figure.label, escapeMrkdwn(figure.value)));
  const within = a.figures.rollbackWithinSeconds;
  if (within !== undefined && input.kind !== 'resolved') out.push(field('Rollback deadline', `roll back within ~${Math.round(within / 60)} min — after that the API server may not accept the rollback`));
  if (input.kind === 'resolved') out.push(field('Lasted', episodeDuration(a)));
  return out.slice(0, L.sectionFields);
}

export function buttons(alertLinks: AlertLinks): SlackBlock[] {
  const links: Array<[string, string | null, string]> = [
    ['Grafana dashboard', alertLinks.dashboardUrl, 'open_dashboard'],
    ['Runbook', alertLinks.runbookUrl, 'open_runbook'],
    ['Rollout page', alertLinks.rolloutPageUrl ?? null, 'open_rollout_page'],
  ];
  // A cut URL would lead nowhere: a link too long for Slack is left out instead.
  const elements = links
    .filter((l): l is [string, string, string] => l[1] !== null && l[1].length <= L.buttonUrl)
    .map(([label, url, actionId]) => ({
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: truncate(label, L.buttonText) },
      url,
      action_id: actionId,
    }));
  return elements.length > 0 ? [{ type: 'actions', elements }] : [];
}

function contextLine(input: RenderInput): string {
  const a = input.alert;
  const parts = [`started ${formatTime(a.startsAt)}`];
  if (input.kind === 'resolved') parts.push(`resolved ${formatTime(a.endsAt)} after ${episodeDuration(a)}`);
  parts.push(`fingerprint ${a.fingerprint}`);
  return `Event time: ${parts.join(' · ')}`;
}

// Top-level text is all a phone notification shows: state, name, where, and the summary.
function summaryText(input: RenderInput): string {
  const a = input.alert;
  const where = [a.rolloutId && `rollout ${a.rolloutId}`, a.wave && `wave ${a.wave}`, a.clusters.length > 0 && `clusters ${listWithMore(a.clusters, 200)}`]
    .filter(Boolean)
    .join(', ');
  const lasted = input.kind === 'resolved' ? ` after ${episodeDuration(a)}` : '';
  const head = `[${stateWord(input)}] ${a.name} (${a.severity})${lasted}`;
  return truncate(escapeMrkdwn([head, where, a.annotations.summary].filter(Boolean).join(' — ')), L.text);
}

export function renderSlackMessage(input: RenderInput): SlackMessage {
  const a = input.alert;
  const icon = input.kind === 'resolved' ? ':large_green_circle:' : a.severity === 'critical' ? ':red_circle:' : ':large_orange_circle:';
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${icon} ${stateWord(input)}: ${a.name}`, L.headerText), emoji: true } },
  ];
  const prose = [a.annotations.summary && `*${escapeMrkdwn(a.annotations.summary)}*`, a.annotations.description && escapeMrkdwn(a.annotations.description)]
    .filter(Boolean)
    .join('\n');
  if (prose) blocks.push({ type: 'section', text: mrkdwn(prose, L.sectionText) });
  blocks.push({ type: 'section', fields: fields(input) });
  blocks.push({ type: 'context', elements: [mrkdwn(contextLine(input), L.contextText)] });
  blocks.push(...buttons(input.links));
  return { text: summaryText(input), blocks: blocks.slice(0, L.blocks) };
}
