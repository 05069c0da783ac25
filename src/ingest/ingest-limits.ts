import type { AppConfig } from '../config/config.schema.js';
import { badRequest, type DomainError } from '../common/domain-error.js';

export type IngestLimits = Pick<
  AppConfig['ingest'],
  'maxSeriesPerRequest' | 'maxLabelsPerSeries' | 'maxLabelNameBytes' | 'maxLabelValueBytes' | 'maxLineBytes'
>;

// The 400 names the config key, so an operator knows which limit to raise.
export const limitExceeded = (what: string, key: keyof IngestLimits, limit: number): DomainError =>
  badRequest(`${what} exceeds ingest.${key}=${limit}`, { limit: key });
