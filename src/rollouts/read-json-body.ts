import type { IncomingMessage } from 'node:http';
import { badRequest, DomainError } from '../common/domain-error.js';

// The app runs without a global body parser; routes read their own body with their own
// limit: 413 past the limit (checked on Content-Length first, then while streaming). Past
// the limit the rest is drained, not buffered, so the 413 still reaches the sender.
export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (): DomainError => new DomainError('payload_too_large', `body: at most ${maxBytes} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return reject(tooLarge());
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(badRequest('body: could not be read')));
  });
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
