import { escapeHtml, rolloutReportHtml } from '../src/web/page-html.js';
import { ReplayClient } from './replay-client.js';

export interface ReportText {
  scenario: string;
  /** the demo's text timeline, one line per entry */
  timeline: readonly string[];
  /** the score table as the demo prints it */
  score: string;
}

// A post-incident report: the rollout page with its data frozen in (uPlot and the page
// script inline, nothing fetched), then the demo's text timeline and score table.
export async function replayReportHtml(baseUrl: string, rolloutId: string, text: ReportText): Promise<string> {
  const client = new ReplayClient({ baseUrl });
  const answer = await client.request('GET', `/api/v1/rollouts/${encodeURIComponent(rolloutId)}/timeline`);
  if (answer.status !== 200) throw new Error(`GET timeline of ${rolloutId} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  const data: unknown = JSON.parse(answer.body);
  const appendix = `<section class="appendix" aria-labelledby="replay-title">
<h2 id="replay-title">Replay of ${escapeHtml(text.scenario)}: timeline and score</h2>
<h3>Timeline (event time, UTC; "truth" lines come from the simulator)</h3>
<pre>${escapeHtml(text.timeline.join('\n'))}</pre>
<h3>Score against the ground truth</h3>
<pre id="score">${escapeHtml(text.score)}</pre>
</section>`;
  return rolloutReportHtml(rolloutId, data, appendix);
}
