import type { AlertView } from '../../alerts/alert.types.js';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${pct.toFixed(3)} %`;
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)} %`;
}

const num = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1));

export function formatTime(iso: string | null): string {
  if (!iso) return 'unknown';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC') : iso;
}

/** How long an episode lasted, from its event-time start to its end. */
export function episodeDuration(alert: AlertView): string {
  if (!alert.endsAt) return 'unknown';
  return formatDuration(Date.parse(alert.endsAt) - Date.parse(alert.startsAt));
}

export interface KeyFigure {
  label: string;
  value: string;
}

// The figures people decide on: API-server seats against capacity, DNS failure the cache
// hides against what clients see, the next wave's predicted utilisation, time to impact.
export function keyFigures(alert: AlertView): KeyFigure[] {
  const f = alert.figures;
  const out: KeyFigure[] = [];
  if (f.busySeats !== undefined && f.capacitySeats !== undefined) {
    const util = f.capacitySeats > 0 ? ` (${formatPercent(f.busySeats / f.capacitySeats)})` : '';
    out.push({ label: 'API server seats', value: `${num(f.busySeats)} busy / ${num(f.capacitySeats)} capacity${util}` });
  } else if (f.utilization !== undefined) {
    out.push({ label: 'API server utilisation', value: formatPercent(f.utilization) });
  }
  if (f.visibleErrorRatio !== undefined || f.missFailureRatio !== undefined) {
    const visible = f.visibleErrorRatio !== undefined ? `visible ${formatPercent(f.visibleErrorRatio)}` : null;
    const miss = f.missFailureRatio !== undefined ? `miss-failure ${formatPercent(f.missFailureRatio)}` : null;
    out.push({ label: 'DNS SERVFAIL', value: [visible, miss].filter(Boolean).join(' vs ') });
  }
  if (f.predictedUtilization !== undefined) {
    out.push({ label: 'Predicted utilisation', value: `${formatPercent(f.predictedUtilization)} of capacity` });
  }
  if (alert.timeToImpactSeconds !== null) {
    out.push({ label: 'Time to impact', value: `~${formatDuration(alert.timeToImpactSeconds * 1000)}` });
  }
  return out;
}

/** Truncates to at most max characters (code points), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** "a, b, … and 12 more" within maxChars: a compact list that still says how many there are. */
export function listWithMore(items: readonly string[], maxChars: number): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const next = out ? `${out}, ${items[i]}` : (items[i] ?? '');
    const rest = items.length - i - 1;
    const suffix = rest > 0 ? `, … and ${rest} more` : '';
    if (next.length + suffix.length > maxChars) return truncate(`${out}${out ? ', ' : ''}… and ${items.length - i} more`, maxChars);
    out = next;
  }
  return out;
}

/** Distinct values in natural order (prod-2 before prod-10). */
export function distinctNatural(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
