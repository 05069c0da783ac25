import type { BacktestResult } from './backtest-runner.js';

export interface ReportContext {
  readonly fromMs: number;
  readonly toMs: number;
  readonly clusters: number;
  readonly batches: number;
  readonly queriesPerBatch: number;
  readonly elapsedMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** the alert timeline and the gate answers wave by wave, for a terminal */
export function formatBacktest(result: BacktestResult, ctx: ReportContext): string {
  const lines = [
    `backtest ${iso(ctx.fromMs)} → ${iso(ctx.toMs)}: ${result.evaluatedSteps} steps evaluated, ${ctx.clusters} clusters, ` +
      `${ctx.batches} batches × ${ctx.queriesPerBatch} range queries, ${(ctx.elapsedMs / 1000).toFixed(1)} s`,
    '',
    'alerts:',
  ];
  if (result.timeline.length === 0) lines.push('  (none)');
  for (const e of result.timeline) {
    const scope = [e.rolloutId && `rollout=${e.rolloutId}`, e.wave && `wave=${e.wave}`, e.clusters.length && `clusters=${e.clusters.join(',')}`].filter(Boolean).join(' ');
    lines.push(`  ${iso(e.atMs)}  ${e.transition.padEnd(8)} ${e.alertName.padEnd(28)} ${e.severity.padEnd(8)} ${scope} (onset ${iso(e.onsetMs)})`);
  }
  lines.push('', 'gate before each wave:');
  if (result.gates.length === 0) lines.push('  (no wave started in the period)');
  for (const g of result.gates) {
    lines.push(`  ${iso(g.atMs)}  ${g.rolloutId} ${g.wave}: ${g.verdict}${g.reasons.length ? ` — ${g.reasons.join('; ')}` : ''}`);
  }
  return lines.join('\n');
}
