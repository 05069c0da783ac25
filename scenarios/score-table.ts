import type { ScoreReport } from './score.js';

// Plain-text rendering of a score report for terminals and CI logs.

const time = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().slice(11, 19));
const num = (v: number | null, digits = 1): string => (v === null ? '-' : v.toFixed(digits));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderScore(report: ScoreReport): string {
  const out: string[] = [`score: ${report.scenario}`, ''];
  out.push(
    table(
      ['required alert', 'cluster', 'onset', 'wavewatch', 'lag (intervals)', 'lead (s)', 'mixin anchors', 'ok'],
      report.detections.map((d) => [
        d.expected.name,
        d.expected.cluster,
        time(d.expected.atMs),
        d.alert ? time(Date.parse(d.alert.startsAt)) : 'never',
        num(d.lagIntervals),
        num(d.leadSeconds, 0),
        d.anchors.map((a) => `${a.name}@${time(a.firesAtMs)}`).join(' ') || '-',
        d.met ? 'yes' : 'NO',
      ]),
    ),
  );
  out.push('', table(['gate before', 'expected', 'status', 'verdict', 'ok'], report.gates.map((g) => [g.wave, g.expected, String(g.status ?? '-'), g.verdict ?? '-', g.met ? 'yes' : 'NO'])));
  out.push('', `false alerts: ${report.falseAlerts.length}   allowed (consequence or unattributed) alerts: ${report.allowedAlerts.length}`);
  for (const a of report.falseAlerts) out.push(`  false: ${a.name} ${a.severity} [${a.clusters.join(',')}] at ${a.startsAt} rollout=${a.rolloutId ?? '-'}`);
  if (report.anchors.length > 0) {
    out.push('', 'community mixin alerts (Prometheus 2.42 rules):');
    for (const a of report.anchors) out.push(`  ${a.name.padEnd(28)} ${a.cluster.padEnd(12)} ${time(a.firesAtMs)}`);
  }
  out.push('', report.passed ? 'all targets met' : `targets missed:\n${report.misses.map((m) => `  - ${m}`).join('\n')}`);
  return out.join('\n');
}
