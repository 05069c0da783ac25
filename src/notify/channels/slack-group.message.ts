import type { AlertView } from '../../alerts/alert.types.js';
import { distinctNatural, formatTime, listWithMore, truncate } from './message-format.js';
import { singleAlertInput, type GroupRenderInput } from './group-render-input.js';
import { escapeMrkdwn, SLACK_LIMITS } from './slack-limits.js';
import { sortedLabels } from './webhook.message.js';
import { buttons, field, mrkdwn, renderSlackMessage, type SlackBlock, type SlackMessage, type TextObject } from './slack.message.js';

const L = SLACK_LIMITS;
// A cluster list people can read at a glance; the count says the rest.
const LIST_CHARS = 240;
const clustersOf = (alerts: readonly AlertView[]): string[] => distinctNatural(alerts.flatMap((a) => a.clusters));
const list = (items: readonly string[]): string => escapeMrkdwn(listWithMore(items, LIST_CHARS));
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function stateWord(input: GroupRenderInput): string {
  const m = input.message;
  if (m.firing.length === 0) return 'RESOLVED';
  if (m.repeat) return 'STILL FIRING';
  return m.version > 1 ? 'FIRING, UPDATED' : 'FIRING';
}

function groupName(all: readonly AlertView[]): string {
  const names = distinctNatural(all.map((a) => a.name));
  return names.length === 1 ? names[0]! : listWithMore(names, 100);
}

function fields(input: GroupRenderInput, all: readonly AlertView[]): TextObject[] {
  const m = input.message;
  const out = [field('Severity', distinctNatural(all.map((a) => a.severity)).join(', '))];
  const rollouts = distinctNatural(all.flatMap((a) => (a.rolloutId ? [a.rolloutId] : [])));
  if (rollouts.length > 0) out.push(field(rollouts.length === 1 ? 'Rollout' : `Rollouts (${rollouts.length})`, list(rollouts)));
  const waves = distinctNatural(all.flatMap((a) => (a.wave ? [a.wave] : [])));
  if (waves.length > 0) out.push(field(waves.length === 1 ? 'Wave' : `Waves (${waves.length})`, list(waves)));
  const firing = clustersOf(m.firing);
  if (firing.length > 0) out.push(field(`Clusters firing (${firing.length})`, list(firing)));
  const added = new Set(m.added);
  const fresh = clustersOf(m.firing.filter((a) => added.has(a.fingerprint)));
  if (m.version > 1 && fresh.length > 0) out.push(field(`New since last message (${fresh.length})`, list(fresh)));
  const resolved = clustersOf(m.resolved);
  if (resolved.length > 0) out.push(field(`Resolved (${resolved.length})`, list(resolved)));
  return out.slice(0, L.sectionFields);
}

// The summary all alerts share, else the first one's and how many others there are.
function prose(m: GroupRenderInput['message'], all: readonly AlertView[]): string {
  const counts = [plural(m.firing.length, 'alert') + ' firing'];
  if (m.version > 1 && m.added.length > 0) counts.push(`${m.added.length} new`);
  if (m.resolved.length > 0) counts.push(`${m.resolved.length} resolved`);
  const summaries = new Set(all.map((a) => a.annotations.summary));
  const lead = all[0]?.annotations.summary ?? '';
  const summary = summaries.size === 1 ? lead : lead && `${lead} (and ${plural(all.length - 1, 'other alert')})`;
  return [`*${counts.join(' · ')}*`, summary && escapeMrkdwn(summary)].filter(Boolean).join('\n');
}

// The dashboard link of the whole group: its rollout, time range, and its clusters when few
// enough to name (a link narrowed to 20 of 500 clusters would hide the storm's extent).
const LINK_CLUSTERS = 20;
function groupLinks(input: GroupRenderInput, all: readonly AlertView[]): ReturnType<GroupRenderInput['linksOf']> {
  const lead = all[0]!;
  const startsAt = all.map((a) => a.startsAt).sort()[0] ?? lead.startsAt;
  const ends = input.message.firing.length === 0 ? all.map((a) => a.endsAt ?? '').sort().pop() || null : null;
  const rollouts = new Set(all.map((a) => a.rolloutId));
  const clusters = clustersOf(all);
  return input.linksOf({ ...lead, rolloutId: rollouts.size === 1 ? lead.rolloutId : null, clusters: clusters.length <= LINK_CLUSTERS ? clusters : [], startsAt, endsAt: ends });
}

/** One Slack message for a group; a group of one alert reads like the per-alert message. */
export function renderSlackGroupMessage(input: GroupRenderInput): SlackMessage {
  const single = singleAlertInput(input);
  if (single) return renderSlackMessage(single);
  const m = input.message;
  const all = [...m.firing, ...m.resolved];
  const name = groupName(all);
  const clusters = clustersOf(m.firing.length > 0 ? m.firing : m.resolved);
  const word = stateWord(input);
  const critical = all.some((a) => a.severity === 'critical');
  const icon = m.firing.length === 0 ? ':large_green_circle:' : critical ? ':red_circle:' : ':large_orange_circle:';
  const where = `${plural(clusters.length, 'cluster')}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${icon} ${word}: ${name} — ${where}`, L.headerText), emoji: true } },
    { type: 'section', text: mrkdwn(prose(m, all), L.sectionText) },
    { type: 'section', fields: fields(input, all) },
  ];
  const started = all.map((a) => a.startsAt).sort()[0] ?? null;
  const labels = Object.entries(sortedLabels(m.groupLabels)).map(([k, v]) => `${k}=${v}`).join(', ');
  const context = `Event time: first started ${formatTime(started)} · message ${m.version} of group {${labels}}`;
  blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(context), L.contextText)] });
  blocks.push(...buttons(groupLinks(input, all)));
  const rollouts = distinctNatural(all.flatMap((a) => (a.rolloutId ? [a.rolloutId] : [])));
  const head = `[${m.firing.length > 0 ? `FIRING:${m.firing.length}` : `RESOLVED:${m.resolved.length}`}] ${name}`;
  const text = [head, rollouts.length > 0 && `rollout ${listWithMore(rollouts, 200)}`, `${where}: ${listWithMore(clusters, LIST_CHARS)}`]
    .filter(Boolean)
    .join(' — ');
  return { text: truncate(escapeMrkdwn(text), L.text), blocks: blocks.slice(0, L.blocks) };
}
