// A domain error carries a stable code; the HTTP filter maps codes to statuses once.
export type DomainErrorCode =
  | 'bad_request'
  | 'payload_too_large'
  | 'request_timeout'
  | 'unsupported_media_type'
  | 'not_found'
  | 'conflict'
  | 'overloaded'
  | 'unavailable'
  | 'unauthorized'
  | 'forbidden';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('bad_request', message, details);
export const notFound = (message: string): DomainError => new DomainError('not_found', message);
