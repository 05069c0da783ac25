import type { DeployEventType } from '../rollout.types.js';

// What an adapter makes of one tool request: deploy events in the wire shape of
// POST /api/v1/deploy-events (so they pass the same validation and limits), or a reason the
// request says nothing about a rollout (answered 200 and counted, never an error).
export interface DeployEventBody {
  /** omitted: derived from the content, as for /deploy-events */
  readonly eventId?: string;
  readonly type: DeployEventType;
  readonly rolloutId: string;
  readonly service?: string | null;
  readonly version?: string | null;
  readonly wave?: string | null;
  readonly clusters?: readonly string[];
  readonly at?: string;
}

export type Mapped = { readonly events: readonly DeployEventBody[] } | { readonly ignored: string };

export const ignored = (reason: string): Mapped => ({ ignored: reason });

/** A JSON object's string field, or undefined; Go templates render a missing field as "<no value>". */
export function str(obj: unknown, key: string): string | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const value = (obj as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' && value !== '<no value>' ? value : undefined;
}

/** A nested object, or undefined. */
export function obj(parent: unknown, key: string): Record<string, unknown> | undefined {
  if (parent === null || typeof parent !== 'object') return undefined;
  const value = (parent as Record<string, unknown>)[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A list of names given as an array or as "a, b" / "a b". */
export function names(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

/** RFC 3339 from epoch ms (number or numeric string) or an RFC 3339 string; else undefined (= now). */
export function timeOf(value: unknown): string | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d{10,}$/.test(value) ? Number(value) : NaN;
  if (Number.isFinite(ms)) return new Date(ms).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /\d{4}-\d{2}-\d{2}T/.test(value)) return new Date(value).toISOString();
  return undefined;
}
