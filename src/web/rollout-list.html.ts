import type { RolloutHealth } from '../analysis/analysis.types.js';
import type { RolloutState } from '../rollouts/rollout.types.js';
import { escapeHtml, renderPage } from './page-html.js';
import { rolloutPagePath } from './rollout-page-link.js';

export interface RolloutListEntry {
  rollout: RolloutState;
  health: RolloutHealth | null;
}

const time = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');

function row({ rollout: r, health }: RolloutListEntry): string {
  const verdict = health?.verdict ?? 'hold';
  const waves = r.waves.filter((w) => w.startedAtMs !== null).length;
  return `<tr>
<td><a href="${escapeHtml(rolloutPagePath(r.rolloutId))}">${escapeHtml(r.rolloutId)}</a></td>
<td>${escapeHtml([r.service, r.version].filter(Boolean).join(' ') || '—')}</td>
<td>${escapeHtml(r.status.replace('_', ' '))}</td>
<td><span class="verdict-chip verdict-${verdict}">${verdict}</span>${health ? '' : ' <span class="muted">(no data yet)</span>'}</td>
<td>${waves} of ${r.waves.length}</td>
<td>${time(r.startedAtMs)}</td>
</tr>`;
}

/** GET /: every known rollout, newest first, each linking to its page. */
export function rolloutListHtml(entries: readonly RolloutListEntry[]): string {
  const body =
    entries.length === 0
      ? '<p>No rollouts yet. Send deploy events to <code>POST /api/v1/deploy-events</code>.</p>'
      : `<table class="data"><caption>Rollouts, newest first (times are event time)</caption>
<thead><tr><th scope="col">rollout</th><th scope="col">service</th><th scope="col">status</th><th scope="col">gate now</th><th scope="col">waves started</th><th scope="col">started</th></tr></thead>
<tbody>${entries.map(row).join('\n')}</tbody></table>`;
  return renderPage({ title: 'Rollouts', mainAttributes: '', mainHtml: `<h1>Rollouts</h1>\n${body}`, inline: false, script: false });
}
