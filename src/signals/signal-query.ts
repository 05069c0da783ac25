import { badRequest } from '../common/domain-error.js';

// Parameters of GET /api/v1/clusters/{name}/signals.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export const MAX_POINTS = 20_000;
const HOUR_MS = 3600_000;

/** a time as RFC 3339 or epoch milliseconds */
export function parseTime(name: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw badRequest(`${name}: give it once`);
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (RFC3339.test(raw)) {
    const ms = Date.parse(raw);
    if (Number.isFinite(ms)) return ms;
  }
  throw badRequest(`${name}: expected RFC 3339 or epoch milliseconds, got "${raw.slice(0, 64)}"`);
}

/** signal names from `signal=a&signal=b` or `signal=a,b`; undefined when absent */
export function parseSignalNames(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : []));
  const names = parts.map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw badRequest('signal: empty');
  return [...new Set(names)];
}

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** defaults to the hour before `nowMs` (the cluster's newest sample, event time) */
export function parseRange(query: { from?: unknown; to?: unknown }, nowMs: number, stepMs: number): TimeRange {
  const to = parseTime('to', query.to) ?? nowMs;
  const from = parseTime('from', query.from) ?? to - HOUR_MS;
  if (from > to) throw badRequest('from: must not be after to');
  if ((to - from) / stepMs + 1 > MAX_POINTS) throw badRequest(`range too long: at most ${MAX_POINTS} points of ${stepMs / 1000}s`);
  return { fromMs: from, toMs: to };
}
