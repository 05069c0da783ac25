import { DomainError } from '../common/domain-error.js';
import type { RejectionReason } from './ingest.metrics.js';

/** Why a request was refused, for wavewatch_ingest_rejections_total; undefined for our own faults. */
export function rejectionReason(error: unknown): RejectionReason | undefined {
  if (!(error instanceof DomainError)) return undefined;
  switch (error.code) {
    case 'bad_request':
      return error.details?.limit === undefined ? 'malformed' : 'limit';
    case 'payload_too_large':
      return 'too_large';
    case 'request_timeout':
      return 'timeout';
    case 'unsupported_media_type':
      return 'unsupported_media_type';
    case 'overloaded':
      return 'overloaded';
    case 'unavailable':
      return 'unavailable';
    case 'not_found':
    case 'conflict':
    case 'unauthorized':
    case 'forbidden':
      return 'malformed';
  }
}
