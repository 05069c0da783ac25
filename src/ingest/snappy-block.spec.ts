import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../common/domain-error.js';
import { snappyCompress } from './remote-write.codec.js';
import { snappyUncompress, snappyUncompressedLength } from './snappy-block.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'crash';
  }
};

describe('snappy block', () => {
  it('reads the uncompressed length from the preamble', () => {
    const raw = Buffer.alloc(300_000, 7);
    assert.equal(snappyUncompressedLength(snappyCompress(raw)), raw.length);
    assert.deepEqual(snappyUncompress(snappyCompress(raw), raw.length), raw);
  });

  it('refuses a block whose claimed size exceeds the limit before decompressing', () => {
    // A preamble claiming 4 GiB - 1 followed by nothing: decompressing would fail or allocate.
    const bomb = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert.equal(codeOf(() => snappyUncompress(bomb, 1024)), 'payload_too_large');
    assert.equal(codeOf(() => snappyUncompress(snappyCompress(Buffer.alloc(2048)), 1024)), 'payload_too_large');
  });

  it('rejects empty, truncated and garbage blocks as bad requests', () => {
    const good = snappyCompress(Buffer.from('hello hello hello hello hello'));
    assert.equal(codeOf(() => snappyUncompress(Buffer.alloc(0), 1024)), 'bad_request');
    assert.equal(codeOf(() => snappyUncompress(good.subarray(0, good.length - 2), 1024)), 'bad_request');
    assert.equal(codeOf(() => snappyUncompress(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 1024)), 'bad_request');
    assert.equal(codeOf(() => snappyUncompress(Buffer.from('not snappy at all'), 1 << 20)), 'bad_request');
  });
});
