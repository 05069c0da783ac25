import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { AlertView } from '../src/alerts/alert.types.js';
import { loadScenario, scenarioPath } from '../scenarios/index.js';
import { replayReportHtml } from '../scenarios/demo-report.js';
import { fetchAlerts, replay } from '../scenarios/replay-runner.js';
import { chromiumAvailable, CHROMIUM, launchChromium, type RunningBrowser } from './support/chromium.js';
import { contrastRatio } from './support/contrast.js';
import { postEvents } from './support/events-client.js';
import { startApp, type RunningApp } from './support/start-app.js';

// The rollout page in a real browser (Debian's headless Chromium via playwright-core) after a
// replay of collapse-small: one wave harmless, the next overloads a 5000-node cluster whose
// DNS then fails behind the cache. Screenshots go to a folder under the OS temp dir.

const available = chromiumAvailable();
if (!available) console.log(`# skipped: ${CHROMIUM} not found (CI installs the chromium package)`);

interface HealthBody {
  verdict: string;
  reasons: { message: string }[];
  links?: { rolloutPage?: string };
}

interface ChartProbe {
  id: string;
  points: number[];
  min: number;
  max: number;
  over: { left: number; width: number };
  markers: { t: number; left: number; label: string }[];
}

const ROLLOUT = 'r1';
const outDir = mkdtempSync(join(tmpdir(), 'wavewatch-rollout-page-'));

// Reads every uPlot chart the page registered: non-null points per series, the x scale,
// the plot area on screen and the alert markers drawn over it.
// (page code as strings: the test compiles without the DOM library)
const PROBE_CHARTS = `[...window.wavewatchCharts.entries()].map(([id, { u }]) => {
  const over = u.over.getBoundingClientRect();
  return {
    id,
    points: u.data.slice(1).map((s) => s.filter((v) => v !== null && v !== undefined).length),
    min: u.scales.x.min,
    max: u.scales.x.max,
    over: { left: over.left, width: over.width },
    markers: [...u.over.querySelectorAll('.marker')].map((m) => ({ t: Number(m.dataset.t), left: m.getBoundingClientRect().left, label: m.getAttribute('aria-label') || '' })),
  };
})`;

function probeCharts(page: Page): Promise<ChartProbe[]> {
  return page.evaluate<ChartProbe[]>(PROBE_CHARTS);
}

describe('rollout page in headless Chromium', { skip: available ? false : `${CHROMIUM} not found` }, () => {
  let app: RunningApp;
  let browser: RunningBrowser;
  let alerts: AlertView[];
  const errors: string[] = [];

  async function open(path: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await browser.context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(`${app.url}${path}`);
    return page;
  }

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavewatch-page-config-'));
    writeFileSync(join(dir, 'wavewatch.yaml'), 'web:\n  pollSeconds: 1\n');
    app = await startApp({ WAVEWATCH_CONFIG: join(dir, 'wavewatch.yaml') });
    await replay(loadScenario(scenarioPath('collapse-small')), app.url);
    alerts = await fetchAlerts(app.url);
    browser = await launchChromium();
    console.log(`# screenshots in ${outDir}`);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the gate JSON links to the page, and unknown rollouts and assets are 404', async () => {
    const health = (await (await fetch(`${app.url}/api/v1/rollouts/${ROLLOUT}/health`)).json()) as HealthBody;
    assert.equal(health.links?.rolloutPage, `/rollouts/${ROLLOUT}`);
    const missing = await fetch(`${app.url}/rollouts/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /application\/json/);
    const page = await fetch(`${app.url}/rollouts/${ROLLOUT}`);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await fetch(`${app.url}/api/v1/rollouts/nope/timeline`)).status, 404);
    assert.equal((await fetch(`${app.url}/ui/assets/..%2Fpackage.json`)).status, 404);
    const script = await fetch(`${app.url}/ui/assets/uPlot.iife.min.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  it('/ lists the rollout and links to its page', async () => {
    const page = await open('/');
    const link = page.getByRole('link', { name: ROLLOUT, exact: true });
    assert.equal(await link.getAttribute('href'), `/rollouts/${ROLLOUT}`);
    await link.click();
    await page.waitForSelector('#verdict');
    assert.equal(new URL(page.url()).pathname, `/rollouts/${ROLLOUT}`);
    await page.close();
  });

  it('shows the verdict and its reasons in plain words, with no console errors', async () => {
    const health = (await (await fetch(`${app.url}/api/v1/rollouts/${ROLLOUT}/health`)).json()) as HealthBody;
    const page = await open(`/rollouts/${ROLLOUT}`, { width: 1366, height: 768 });
    await page.waitForSelector('#verdict .word');
    assert.equal((await page.textContent('#verdict .word'))?.trim(), health.verdict);
    assert.match((await page.textContent('#verdict .sentence')) ?? '', /\w+/);
    const reasons = await page.locator('#reasons li').allTextContents();
    assert.equal(reasons.length, health.reasons.length);
    for (const r of health.reasons) assert.ok(reasons.some((text) => text.includes(r.message)), `reason shown: ${r.message}`);
    const laptop = join(outDir, 'rollout-page-laptop.png');
    await page.screenshot({ path: laptop });
    console.log(`# screenshot ${laptop}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('every chart has data points and the alert markers sit at the alerts\u2019 times', async () => {
    const page = await open(`/rollouts/${ROLLOUT}`);
    await page.waitForSelector('#chart-dns-1 .u-over');
    const charts = await probeCharts(page);
    const timeline = (await (await fetch(`${app.url}/api/v1/rollouts/${ROLLOUT}/timeline`)).json()) as { clusters: { cluster: string }[] };
    assert.equal(charts.filter((c) => /^chart-(seats|dns)-/.test(c.id)).length, 2 * timeline.clusters.length);
    assert.ok(charts.some((c) => c.id === 'chart-verdict') && charts.some((c) => c.id === 'chart-prediction'), charts.map((c) => c.id).join());
    for (const c of charts) assert.ok(c.points.some((n) => n >= 2), `${c.id} has data points: ${c.points.join('/')}`);

    assert.ok(alerts.length >= 2, `the replay raised alerts (${alerts.length})`);
    const verdictChart = charts.find((c) => c.id === 'chart-verdict')!;
    let checked = 0;
    for (const a of alerts) {
      const t = Date.parse(a.startsAt) / 1000;
      const onCharts = [verdictChart, ...timeline.clusters.flatMap((c, i) => (a.clusters.includes(c.cluster) ? charts.filter((x) => x.id === `chart-seats-${i}` || x.id === `chart-dns-${i}`) : []))];
      for (const chart of onCharts) {
        const marker = chart.markers.find((m) => m.t === t && m.label.startsWith(a.name));
        assert.ok(marker, `${chart.id} marks ${a.name} at ${a.startsAt}`);
        // where the x scale puts the alert's time, measured independently of the page's code
        const expected = chart.over.left + ((t - chart.min) / (chart.max - chart.min)) * chart.over.width;
        assert.ok(Math.abs(marker.left - expected) <= 1.5, `${chart.id} ${a.name}: marker at ${marker.left.toFixed(1)} px, its time is at ${expected.toFixed(1)} px`);
        checked++;
      }
    }
    assert.ok(checked >= alerts.length * 2, `checked ${checked} markers`);
    const full = join(outDir, 'rollout-page-full.png');
    await page.screenshot({ path: full, fullPage: true });
    console.log(`# screenshot ${full}`);
    assert.ok(statSync(full).size > 50_000, 'the full-page screenshot has content');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('is keyboard navigable: skip link first, then every link and alert marker, each with a visible focus ring', async () => {
    const page = await open(`/rollouts/${ROLLOUT}`);
    await page.waitForSelector('#clusters .marker');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.className'), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'main');
    const visited: { tag: string; label: string; outline: string }[] = [];
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const seen = await page.evaluate<{ tag: string; label: string; outline: string } | null>(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        return { tag: el.tagName.toLowerCase(), label: el.getAttribute('aria-label') || el.textContent || '', outline: getComputedStyle(el).outlineStyle };
      })()`);
      if (!seen) break;
      visited.push(seen);
    }
    assert.ok(visited.some((v) => v.tag === 'a' && v.label.includes('gate JSON')), 'the gate JSON link is reachable');
    const markers = visited.filter((v) => v.tag === 'div');
    assert.ok(markers.length >= alerts.length, `${markers.length} alert markers reachable by Tab`);
    for (const m of markers) assert.match(m.label, /^[A-Za-z]+ \((warning|critical)\) at \d\d:\d\d:\d\d UTC/);
    assert.deepEqual(visited.filter((v) => v.outline === 'none').map((v) => v.label), [], 'focused elements without a focus ring');
    await page.close();
  });

  it('colours meet WCAG contrast: text 4.5:1, chart lines and markers 3:1 on white', async () => {
    const page = await open(`/rollouts/${ROLLOUT}`);
    await page.waitForSelector('#verdict');
    const palette = await page.evaluate<Record<string, string>>('window.wavewatchPalette');
    const text = await page.evaluate<[string, string, string][]>(`(() => {
      const pairs = [];
      const style = (sel) => {
        const el = document.querySelector(sel);
        return el ? getComputedStyle(el) : null;
      };
      const body = style('body');
      pairs.push(['body text', body.color, body.backgroundColor]);
      const banner = style('#verdict');
      pairs.push(['verdict banner', banner.color, banner.backgroundColor]);
      for (const sel of ['.meta', 'table.data caption', '.sev-critical', '.sev-warning', 'a']) {
        const s = style(sel);
        if (s) pairs.push([sel, s.color, body.backgroundColor]);
      }
      for (const v of ['proceed', 'hold', 'rollback']) {
        const probe = document.createElement('span');
        probe.className = 'verdict-chip verdict-' + v;
        document.body.appendChild(probe);
        const s = getComputedStyle(probe);
        pairs.push(['chip ' + v, s.color, s.backgroundColor]);
        probe.remove();
      }
      return pairs;
    })()`);
    const rows: string[] = [];
    const low: string[] = [];
    for (const [name, fg, bg] of text) {
      const ratio = contrastRatio(fg, bg);
      rows.push(`${name}: ${ratio.toFixed(2)}`);
      if (ratio < 4.5) low.push(`${name} ${fg} on ${bg}: ${ratio.toFixed(2)} < 4.5`);
    }
    for (const [name, color] of Object.entries(palette)) {
      if (name === 'background') continue;
      const ratio = contrastRatio(color, palette.background!);
      rows.push(`${name} ${color}: ${ratio.toFixed(2)}`);
      if (ratio < 3) low.push(`${name} ${color}: ${ratio.toFixed(2)} < 3`);
    }
    console.log(`# contrast ratios: ${rows.join(', ')}`);
    assert.deepEqual(low, []);
    await page.close();
  });

  it('updates live while a rollout runs', async () => {
    const watermark = (await (await fetch(`${app.url}/api/v1/evaluation`)).json()) as { watermark: string };
    const at = watermark.watermark;
    const started = await postEvents(app.url, {
      type: 'rollout_started',
      rolloutId: 'r-live',
      service: 'telemetry-agent',
      plan: [{ wave: 'w1', clusters: ['tiny'] }],
      at,
    });
    assert.ok(started.status < 300, `rollout_started: ${started.status}`);
    const page = await open('/rollouts/r-live');
    await page.waitForSelector('#waves tbody tr');
    assert.match((await page.textContent('#waves tbody tr')) ?? '', /planned/);
    const wave = await postEvents(app.url, { type: 'wave_started', rolloutId: 'r-live', wave: 'w1', clusters: ['tiny'], at });
    assert.ok(wave.status < 300, `wave_started: ${wave.status}`);
    // web.pollSeconds is 1 here: the page shows the started wave without a reload
    await page.waitForFunction(`/in progress/.test(document.querySelector('#waves tbody tr')?.textContent || '')`, undefined, { timeout: 10_000 });
    assert.match((await page.textContent('#live')) ?? '', /live: updated/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the replay report opens offline: uPlot and data inline, charts drawn', async () => {
    const file = join(outDir, 'report.html');
    writeFileSync(file, await replayReportHtml(app.url, ROLLOUT, { scenario: 'collapse-small', timeline: ['  00:05:00  w2 starts'], score: 'all targets met' }));
    const page = await browser.context.newPage();
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page.on('pageerror', (e) => errors.push(`report: ${e.message}`));
    await page.goto(`file://${file}`);
    await page.waitForSelector('#chart-dns-1 .u-over');
    const charts = await probeCharts(page);
    assert.ok(charts.length >= 4);
    for (const c of charts) assert.ok(c.points.some((n) => n >= 2), `${c.id} has data points`);
    assert.match((await page.textContent('#score')) ?? '', /all targets met/);
    assert.deepEqual(requests, [], 'the report fetched nothing');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
