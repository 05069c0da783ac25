import type { IncomingMessage } from 'node:http';
import { badRequest, DomainError } from './domain-error.js';

/** the one-line reasons of a route's 413 and 408, naming the setting that bounds it */
export interface BodyLimitMessages {
  tooLarge(maxBytes: number): string;
  timeout(timeoutSeconds: number): string;
}

const INGEST_MESSAGES: BodyLimitMessages = {
  tooLarge: (max) => `request body exceeds ingest.maxBodyBytes=${max}`,
  timeout: (t) => `request body not complete after ingest.bodyTimeoutSeconds=${t}`,
};

// Every route reads its own raw body with a hard limit (the app runs without a global body parser). A
// declared Content-Length over the limit is refused before reading a byte. On overflow the
// rest is discarded rather than the socket destroyed, so the 413 still reaches the sender.
// A body not complete within timeoutSeconds gets 408: a sender trickling bytes holds an
// in-flight slot and its buffer, so it must not hold them for ever.
export function readBody(req: IncomingMessage, maxBytes: number, timeoutSeconds = 60, messages: BodyLimitMessages = INGEST_MESSAGES): Promise<Buffer> {
  const tooLarge = (): DomainError => new DomainError('payload_too_large', messages.tooLarge(maxBytes));
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      stop();
      chunks.length = 0;
      reject(new DomainError('request_timeout', messages.timeout(timeoutSeconds)));
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
        reject(tooLarge());
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
