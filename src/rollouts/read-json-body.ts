import type { IncomingMessage } from 'node:http';
import { badRequest, DomainError } from '../common/domain-error.js';

// The app runs without a global body parser; this route reads its own body with its own
// limit: 415 unless JSON, 413 past the limit (checked on Content-Length first, then while
// streaming), 400 on malformed JSON.
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw new DomainError('unsupported_media_type', `content-type: expected application/json, got ${type || 'none'}`);
  }
  const tooLarge = (): DomainError => new DomainError('payload_too_large', `body: at most ${maxBytes} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // past the limit keep draining (so the 413 reaches the sender) but stop buffering
      if (size > maxBytes) return reject(tooLarge());
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`body: invalid JSON: ${(error as Error).message}`);
  }
}
