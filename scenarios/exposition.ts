import type { LabelPair } from '../src/signals/signal.types.js';
import type { ScrapeTick } from './fleet-simulator.js';
import { labelValue } from './series-query.js';

// Prometheus text exposition (0.0.4) of one cluster's series at one tick. Stale markers and
// the simulator's own `up` are left out: a real Prometheus derives both from its scrapes.

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function typeOf(metric: string): string {
  if (/_bucket$|_sum$|_count$/.test(metric) && metric.includes('duration_seconds')) return 'histogram';
  return /_total$/.test(metric) ? 'counter' : 'gauge';
}

function familyOf(metric: string): string {
  return typeOf(metric) === 'histogram' ? metric.replace(/_(bucket|sum|count)$/, '') : metric;
}

export function clusterExposition(tick: ScrapeTick, cluster: string): string {
  const byFamily = new Map<string, string[]>();
  tick.labels.forEach((labels: readonly LabelPair[], i) => {
    const v = tick.values[i]!;
    const metric = labels[0]!.value;
    if (Number.isNaN(v) || metric === 'up' || labelValue(labels, 'cluster') !== cluster) return;
    const rest = labels.slice(1).map((l) => `${l.name}="${escape(l.value)}"`).join(',');
    const family = familyOf(metric);
    let lines = byFamily.get(family);
    if (!lines) byFamily.set(family, (lines = []));
    lines.push(`${metric}{${rest}} ${v}`);
  });
  const out: string[] = [];
  for (const [family, lines] of byFamily) out.push(`# TYPE ${family} ${typeOf(lines[0]!.split('{')[0]!)}`, ...lines);
  return out.join('\n') + '\n';
}
