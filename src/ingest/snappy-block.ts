import { uncompressSync } from 'snappy';
import { badRequest, DomainError } from '../common/domain-error.js';

/** Reads the uncompressed-length preamble of a snappy block (a varint of at most 32 bits). */
export function snappyUncompressedLength(block: Uint8Array): number {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    const byte = block[i];
    if (byte === undefined) throw badRequest('truncated snappy preamble');
    result += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (result > 0xffffffff) break;
      return result;
    }
  }
  throw badRequest('invalid snappy preamble');
}

// copyOutputData: measured faster than an external buffer (0.6 vs 1.2 ms for 480 KB).
// The size check happens on the preamble BEFORE decompressing, so a small bomb never
// allocates its claimed size.
export function snappyUncompress(block: Uint8Array, maxBytes: number): Buffer {
  const claimed = snappyUncompressedLength(block);
  if (claimed > maxBytes) {
    throw new DomainError('payload_too_large', `decompressed size ${claimed} exceeds ingest.maxDecompressedBytes=${maxBytes}`);
  }
  try {
    return uncompressSync(block, { asBuffer: true, copyOutputData: true }) as Buffer;
  } catch {
    throw badRequest('invalid snappy block');
  }
}
