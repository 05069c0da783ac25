import { createHash } from 'node:crypto';

/** Body of Grafana's POST /api/annotations (and of PATCH /api/annotations/:id). Times in ms. */
export interface GrafanaAnnotationBody {
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
  dashboardUID?: string;
}

/** What an annotation row of the outbox holds. */
export interface AnnotationPayload {
  /** dedup key of the annotation this one turns into a region (PATCHed when it was created) */
  extends: string | null;
  body: GrafanaAnnotationBody;
  /** on gate annotations: the verdict announced, so a restart knows the last one */
  verdict?: string;
}

export const GRAFANA_MAX_TEXT = 2000;
export const MAX_CLUSTER_TAGS = 10;

export const shortHash = (text: string, chars = 16): string => createHash('sha256').update(text).digest('hex').slice(0, chars);

/** Grafana answers POST with {id, message}; the id is what a later PATCH needs. */
export function annotationId(responseBody: string | undefined): string | null {
  try {
    const parsed = JSON.parse(responseBody ?? '') as { id?: unknown };
    return typeof parsed.id === 'number' || typeof parsed.id === 'string' ? String(parsed.id) : null;
  } catch {
    return null;
  }
}
