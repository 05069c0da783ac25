import { readAsset } from './web-assets.js';

// The HTML around the rollout page's script. Served live (assets linked, data fetched and
// polled) or written as a self-contained report (assets and data inline, opens offline).

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// JSON inside <script>: "</script>" and "<!--" must not end or comment the element.
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export interface PageOptions {
  title: string;
  /** `main` element attributes and content, already escaped */
  mainAttributes: string;
  mainHtml: string;
  /** live pages link the assets; reports inline them */
  inline: boolean;
  /** embedded data (reports): the script renders it and does not poll */
  data?: unknown;
  /** extra sections after the page's own (reports: text timeline, score table) */
  appendixHtml?: string;
  /** false for pages without charts (the rollout list) */
  script?: boolean;
}

const styles = ['uPlot.min.css', 'rollout-page.css'];
const scripts = ['uPlot.iife.min.js', 'rollout-page.js'];

function styleTags(inline: boolean): string {
  return styles
    .map((f) => (inline ? `<style>/* ${f} */\n${readAsset(f)}</style>` : `<link rel="stylesheet" href="/ui/assets/${f}">`))
    .join('\n');
}

function scriptTags(inline: boolean): string {
  return scripts
    .map((f) => (inline ? `<script>/* ${f} */\n${readAsset(f).replace(/<\/script/gi, '<\\/script')}</script>` : `<script src="/ui/assets/${f}"></script>`))
    .join('\n');
}

export function renderPage(o: PageOptions): string {
  const withScript = o.script ?? true;
  const data = o.data === undefined ? '' : `<script id="wavewatch-data" type="application/json">${inlineJson(o.data)}</script>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(o.title)}</title>
${styleTags(o.inline)}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top"><a href="${o.inline ? '#main' : '/'}" class="brand">wavewatch</a> <span aria-hidden="true">›</span> <span>${escapeHtml(o.title)}</span></header>
<main id="main" tabindex="-1" ${o.mainAttributes}>
${o.mainHtml}
</main>
${o.appendixHtml ?? ''}
${data}${withScript ? scriptTags(o.inline) : ''}
</body>
</html>
`;
}

/** The live rollout page: the script fetches the timeline and polls while the rollout runs. */
export function rolloutPageHtml(rolloutId: string): string {
  const timeline = `/api/v1/rollouts/${encodeURIComponent(rolloutId)}/timeline`;
  return renderPage({
    title: `Rollout ${rolloutId}`,
    mainAttributes: `data-rollout-id="${escapeHtml(rolloutId)}" data-timeline-url="${escapeHtml(timeline)}"`,
    mainHtml: '<p class="loading" role="status">Loading the rollout…</p>',
    inline: false,
  });
}

/** A self-contained report: uPlot, the page script and the data inline. */
export function rolloutReportHtml(rolloutId: string, data: unknown, appendixHtml: string): string {
  return renderPage({
    title: `Rollout ${rolloutId} — replay report`,
    mainAttributes: `data-rollout-id="${escapeHtml(rolloutId)}"`,
    mainHtml: '<p class="loading" role="status">Rendering the report…</p>',
    inline: true,
    data,
    appendixHtml,
  });
}
