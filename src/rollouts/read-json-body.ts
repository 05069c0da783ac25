import type { IncomingMessage } from 'node:http';
import { badRequest, DomainError } from '../common/domain-error.js';
import { readBody, type BodyLimitMessages } from '../common/read-body.js';

/** a deploy tool's body not complete by then gets 408 (bounded like ingest's bodyTimeoutSeconds) */
const BODY_TIMEOUT_SECONDS = 60;

const MESSAGES: BodyLimitMessages = {
  tooLarge: (max) => `body: at most ${max} bytes`,
  timeout: (t) => `body: not complete after ${t} s`,
};

// Deploy-event and integration routes read their own body: 413 past the limit (checked on
// Content-Length first, then while streaming, the rest drained so the 413 reaches the
// sender), 408 when it trickles. The same reader as ingest's, with this route's messages.
export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return readBody(req, maxBytes, BODY_TIMEOUT_SECONDS, MESSAGES);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`body: invalid JSON: ${(error as Error).message}`);
  }
}

// 415 unless JSON, then 413 / 400 as above.
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw new DomainError('unsupported_media_type', `content-type: expected application/json, got ${type || 'none'}`);
  }
  return parseJson((await readRawBody(req, maxBytes)).toString('utf8'));
}
