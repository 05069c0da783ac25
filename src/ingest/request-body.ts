import type { IncomingMessage } from 'node:http';
import { badRequest, DomainError } from '../common/domain-error.js';

const tooLarge = (limit: number): DomainError =>
  new DomainError('payload_too_large', `request body exceeds ingest.maxBodyBytes=${limit}`);

// Reads the raw body with a hard limit (the app runs without a global body parser). A
// declared Content-Length over the limit is refused before reading a byte. On overflow the
// rest is discarded rather than the socket destroyed, so the 413 still reaches the sender.
// A body not complete within timeoutSeconds gets 408: a sender trickling bytes holds an
// in-flight slot and its buffer, so it must not hold them for ever.
export function readBody(req: IncomingMessage, maxBytes: number, timeoutSeconds = 60): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      stop();
      chunks.length = 0;
      reject(new DomainError('request_timeout', `request body not complete after ingest.bodyTimeoutSeconds=${timeoutSeconds}`));
    }, timeoutSeconds * 1000);
    const stop = (): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      stop();
      reject(badRequest('request body could not be read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
