import { badRequest, DomainError } from '../common/domain-error.js';
import { SnappyDecoder } from './snappy-decoder.js';

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

/**
 * Decompresses into `decoder`'s reused buffer (see SnappyDecoder): the result is valid until
 * that decoder's next call (a fresh decoder when none is given). The size check happens on
 * the preamble, before decompressing, so a small bomb never allocates its claimed size.
 */
export function snappyUncompress(block: Uint8Array, maxBytes: number, decoder = new SnappyDecoder()): Buffer {
  const claimed = snappyUncompressedLength(block);
  if (claimed > maxBytes) {
    throw new DomainError('payload_too_large', `decompressed size ${claimed} exceeds ingest.maxDecompressedBytes=${maxBytes}`);
  }
  return decoder.uncompress(block, claimed, preambleLength(block));
}

/** bytes of the preamble's varint (snappyUncompressedLength has checked it) */
function preambleLength(block: Uint8Array): number {
  let i = 0;
  while (block[i]! >= 0x80) i++;
  return i + 1;
}
