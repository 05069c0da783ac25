import type { AlertView } from '../../src/alerts/alert.types.js';
import { SLACK_LIMITS } from '../../src/notify/channels/slack-limits.js';
import { alertView } from './notify-fixtures.js';

export const clusterName = (i: number): string => `prod-${String(i).padStart(3, '0')}`;

/** One TelemetryLost alert per cluster, as the analysis raises them when a fleet goes dark. */
export function telemetryLost(rolloutId: string, clusters: readonly string[]): AlertView[] {
  return clusters.map((cluster) =>
    alertView({
      name: 'TelemetryLost',
      severity: 'warning',
      rolloutId,
      wave: 'wave-3',
      clusters: [cluster],
      annotations: { summary: `${cluster} stopped reporting`, description: 'No samples for 90 s.', runbook_url: 'telemetry-lost' },
      figures: {},
    }),
  );
}

export interface SlackBlockBody {
  text: string;
  blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text: unknown; url?: string }> }>;
}

/** Every Block Kit limit the renderer promises; returns what is violated. */
export function blockKitViolations(body: SlackBlockBody): string[] {
  const out: string[] = [];
  if (body.text.length > SLACK_LIMITS.text) out.push(`text ${body.text.length}`);
  if (body.blocks.length > SLACK_LIMITS.blocks) out.push(`${body.blocks.length} blocks`);
  for (const b of body.blocks) {
    const max = b.type === 'header' ? SLACK_LIMITS.headerText : SLACK_LIMITS.sectionText;
    if (b.text && b.text.text.length > max) out.push(`${b.type} text ${b.text.text.length}`);
    if (b.fields && b.fields.length > SLACK_LIMITS.sectionFields) out.push(`${b.fields.length} fields`);
    for (const f of b.fields ?? []) if (f.text.length > SLACK_LIMITS.fieldText) out.push(`field ${f.text.length}`);
  }
  return out;
}

export const fieldsOf = (body: SlackBlockBody): string[] => body.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
