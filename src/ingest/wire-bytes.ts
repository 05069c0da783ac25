import { Buffer, isUtf8 } from 'node:buffer';
import { badRequest } from '../common/domain-error.js';

// Helpers shared by the protobuf decoders for strings that live in the request buffer.

export const asBuffer = (buf: Uint8Array): Buffer =>
  Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);

/** Decodes [start, end) as UTF-8, rejecting invalid sequences instead of replacing them. */
export function utf8At(buf: Buffer, start: number, end: number, what: string): string {
  const view = buf.subarray(start, end);
  if (!isUtf8(view)) throw badRequest(`invalid UTF-8 in ${what}`);
  return view.toString('utf8');
}

/** Byte-wise comparison of [start, end) with an ASCII constant, without decoding. */
export function bytesEqual(buf: Buffer, start: number, end: number, ascii: Uint8Array): boolean {
  if (end - start !== ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (buf[start + i] !== ascii[i]) return false;
  return true;
}

export const NAME_LABEL = '__name__';
export const NAME_LABEL_BYTES = new Uint8Array(Buffer.from(NAME_LABEL, 'latin1'));
