import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../common/domain-error.js';
import { defaultLimits, sampleSeries } from './ingest-test-fixtures.js';
import { decodeWriteRequestV1 } from './remote-write-v1.decoder.js';
import { decodeWriteRequestV2 } from './remote-write-v2.decoder.js';
import { encodeWriteRequestV1, encodeWriteRequestV2, snappyCompress } from './remote-write.codec.js';
import { snappyUncompress } from './snappy-block.js';
import { parseTextExposition } from './text-exposition.parser.js';

// Random and mutated inputs must either decode or fail with a one-line 4xx DomainError;
// anything else (a TypeError, a RangeError, a hang) would be a 5xx or a crash in production.
// Seeded, so a failure is reproducible.

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(buf: Uint8Array, rnd: () => number): Buffer {
  const out = Buffer.from(buf);
  const kind = Math.floor(rnd() * 4);
  if (kind === 0) return out.subarray(0, Math.floor(rnd() * out.length));
  if (kind === 1) {
    for (let i = 0; i < 1 + rnd() * 4; i++) out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
    return out;
  }
  if (kind === 2) {
    const at = Math.floor(rnd() * out.length);
    return Buffer.concat([out.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), out.subarray(at)]);
  }
  const bit = Math.floor(rnd() * out.length * 8);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

function randomBytes(rnd: () => number): Buffer {
  return Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)));
}

function expectDecodeOr4xx(run: () => unknown): 'ok' | 'rejected' {
  try {
    run();
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof DomainError, `non-domain error: ${String(error)}`);
    assert.ok(['bad_request', 'payload_too_large'].includes(error.code), error.code);
    assert.ok(!error.message.includes('\n'), 'message is one line');
    return 'rejected';
  }
}

const all = (): boolean => true;
const ITERATIONS = 1500;

describe('decoder fuzz', () => {
  for (const [name, encode, decode] of [
    ['v1', encodeWriteRequestV1, decodeWriteRequestV1],
    ['v2', encodeWriteRequestV2, decodeWriteRequestV2],
  ] as const) {
    it(`${name}: mutated and random protobuf never escapes as a non-4xx error`, () => {
      const rnd = prng(name === 'v1' ? 1 : 2);
      const valid = encode(sampleSeries());
      const outcomes = { ok: 0, rejected: 0 };
      for (let i = 0; i < ITERATIONS; i++) {
        const input = i % 5 === 0 ? randomBytes(rnd) : mutate(valid, rnd);
        outcomes[expectDecodeOr4xx(() => decode(input, all, defaultLimits))]++;
      }
      // Both paths are exercised: some mutations stay decodable, most do not.
      assert.ok(outcomes.rejected > ITERATIONS / 10, JSON.stringify(outcomes));
      assert.ok(outcomes.ok > 0, JSON.stringify(outcomes));
    });

    it(`${name}: mutated snappy blocks never escape as a non-4xx error`, () => {
      const rnd = prng(name === 'v1' ? 3 : 4);
      const compressed = snappyCompress(encode(sampleSeries()));
      for (let i = 0; i < ITERATIONS / 3; i++) {
        expectDecodeOr4xx(() => decode(snappyUncompress(mutate(compressed, rnd), 1 << 20), all, defaultLimits));
      }
    });
  }

  it('text: mutated exposition lines never escape as a non-4xx error', () => {
    const rnd = prng(5);
    const valid = Buffer.from('# TYPE up gauge\nup{cluster="a",job="x\\"y"} 1 1700000000000\napiserver_request_total{code="200"} +Inf\n');
    for (let i = 0; i < ITERATIONS; i++) {
      const text = mutate(valid, rnd).toString('latin1');
      expectDecodeOr4xx(() => parseTextExposition(text, all, defaultLimits, { defaultTimestampMs: 0 }));
    }
  });
});
