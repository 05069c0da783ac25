import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../common/domain-error.js';
import { snappyCompress } from './remote-write.codec.js';
import { uncompressSync } from 'snappy';
import { snappyUncompress, snappyUncompressedLength } from './snappy-block.js';
import { SnappyDecoder } from './snappy-decoder.js';

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
    // 6 bytes cannot expand to 32 MiB: refused before that buffer is allocated
    assert.equal(codeOf(() => snappyUncompress(Buffer.from([0x80, 0x80, 0x80, 0x10, 0x00, 0x00]), 64 << 20)), 'bad_request');
  });

  it('decodes what the native library decodes, into one reused buffer, for sizes up and down', () => {
    const decoder = new SnappyDecoder();
    const text = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => `series_${i % 97}{le="${(i * 7) % 13}"} `).join('').slice(0, n));
    const inputs = [text(1), text(70), text(5000), Buffer.alloc(100_000, 3), text(300_000), text(10), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24))];
    // a block over the kept size is a one-off: the next small one still decodes right
    inputs.push(Buffer.alloc(5 << 20, 1), text(999));
    for (const raw of inputs) {
      const block = snappyCompress(raw);
      const out = snappyUncompress(block, 8 << 20, decoder);
      assert.ok(out.equals(raw), `${raw.length} bytes`);
      assert.ok(out.equals(uncompressSync(block, { asBuffer: true }) as Buffer));
    }
  });

  it('agrees with the native library on 20,000 corrupted blocks: same bytes, or both refuse (400 here)', () => {
    const decoder = new SnappyDecoder();
    const blocks = [Buffer.from('hello hello hello hello hello '.repeat(40)), Buffer.alloc(3000, 7), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff))].map((b) => snappyCompress(b));
    let seed = 7;
    const random = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    let decoded = 0;
    for (let n = 0; n < 20_000; n++) {
      const block = Buffer.from(blocks[n % blocks.length]!);
      for (let j = 1 + random(4); j > 0; j--) block[random(block.length)] = random(256);
      let native: Buffer | undefined;
      try {
        native = uncompressSync(block, { asBuffer: true }) as Buffer;
      } catch {
        native = undefined;
      }
      const code = codeOf(() => snappyUncompress(block, 1 << 20, decoder));
      if (native === undefined || native.length > 1 << 20) assert.ok(code === 'bad_request' || code === 'payload_too_large', `block ${n}: ${code}`);
      else {
        assert.equal(code, undefined, `block ${n}`);
        assert.ok(snappyUncompress(block, 1 << 20, decoder).equals(native), `block ${n}`);
        decoded++;
      }
    }
    assert.ok(decoded > 1000, `only ${decoded} corrupted blocks stayed valid`);
  });
});
