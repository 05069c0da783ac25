import type { IncomingMessage } from 'node:http';
import { badRequest } from '../../common/domain-error.js';
import { readRawBody } from '../read-json-body.js';

// Tools send what their templates make of it: no Content-Type (notifications-engine), form
// bodies (GitHub), templated JSON with a trailing comma or Go's "<no value>" for a missing
// field. The raw bytes are read first (signatures are over them), then parsed leniently.
export async function readToolBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return parseToolBody(await readRawBody(req, maxBytes), req.headers['content-type']);
}

export function parseToolBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw badRequest('body: form-encoded without a payload= field');
    return parseLenientJson(payload);
  }
  return parseLenientJson(text);
}

export function parseLenientJson(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw badRequest('body: empty; expected a JSON object');
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    const repaired = trimmed
      .replace(/:\s*<no value>/g, ': null')
      .replace(/<no value>/g, '')
      .replace(/,(\s*[}\]])/g, '$1');
    try {
      return JSON.parse(repaired) as unknown;
    } catch {
      throw badRequest(`body: invalid JSON: ${(error as Error).message}`);
    }
  }
}
