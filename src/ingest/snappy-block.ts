import { badRequest, DomainError } from '../common/domain-error.js';
import { SnappyDecoder } from './snappy-decoder.js';

/** Reads the uncompressed-length preamble of a snappy block (a varint of at most 32 bits). */
export function snappyUncompressedLength(block: Uint8Array): number {
  return readPreamble(block).length;
}

/** the preamble's length and where the compressed elements start after it */
function readPreamble(block: Uint8Array): { length: number; start: number } {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    const byte = block[i];
    if (byte === undefined) throw badRequest('truncated snappy preamble');
    result += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (result > 0xffffffff) break;
      return { length: result, start: i + 1 };
    }
  }
  throw badRequest('invalid snappy preamble');
}

/**
 * Decompresses into `decoder`'s reused buffer (see SnappyDecoder): the result is valid until
 * that decoder's next call (a fresh decoder when none is given). The size check happens on
 * the preamble, before decompressing, so a small bomb never allocates its claimed size.
 */
export function snappyUncompress(block: Uint8Array, maxBytes: number, decoder = new SnappyDecoder()): Buffer {
  const { length, start } = readPreamble(block);
  if (length > maxBytes) {
    throw new DomainError('payload_too_large', `decompressed size ${length} exceeds ingest.maxDecompressedBytes=${maxBytes}`);
  }
  return decoder.uncompress(block, length, start);
}
