import type { ServerResponse } from 'node:http';
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type DomainErrorCode } from './domain-error.js';

const statusOf: Record<DomainErrorCode, number> = {
  bad_request: HttpStatus.BAD_REQUEST,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  request_timeout: HttpStatus.REQUEST_TIMEOUT,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  overloaded: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
};

/**
 * The filter's answer to a DomainError, for a route served without the framework (the
 * remote_write fast lane): the same status, Retry-After and {"error", "message"} body.
 */
export function writeDomainError(res: ServerResponse, error: DomainError): void {
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  writeJson(res, statusOf[error.code], { error: error.code, message: error.message, ...error.details });
}

/** a 500 without details, as the filter answers an unexpected error */
export function writeInternalError(res: ServerResponse): void {
  writeJson(res, HttpStatus.INTERNAL_SERVER_ERROR, { error: 'internal', message: 'internal error' });
}

function writeJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

// Every error leaves as {"error": code, "message": one line}. Body-parser errors (too large,
// bad JSON) arrive as http-errors with a status and are mapped here too, so bad input is
// always a 4xx with a reason and never a stack trace.
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(statusOf[error.code]).json({ error: error.code, message: error.message, ...error.details });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.map(String).join('; ') : typeof raw === 'string' ? raw : error.message;
      res.status(status).json({ error: codeFor(status), message });
      return;
    }
    const httpLike = error as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown };
    const status = typeof httpLike.status === 'number' ? httpLike.status : httpLike.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: codeFor(status), message: oneLine(typeof httpLike.message === 'string' ? httpLike.message : 'bad request') });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: 'internal', message: 'internal error' });
  }
}

function codeFor(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'overloaded';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').slice(0, 300);
