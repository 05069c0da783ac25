import assert from 'node:assert/strict';
import protobuf from 'protobufjs/minimal.js';
import { after, describe, it } from 'node:test';
import { DomainError } from '../common/domain-error.js';
import type { RawSeries } from '../signals/signal.types.js';
import { DecodePool } from './decode-pool.js';
import { decodedSeries, defaultLimits } from './ingest-test-fixtures.js';
import { decodeWriteRequestV1 } from './remote-write-v1.decoder.js';
import { encodeWriteRequestV1, snappyCompress } from './remote-write.codec.js';

const wantedMetrics = ['apiserver_request_total'];
const wants = (name: string): boolean => wantedMetrics.includes(name);

function request(round: number): RawSeries[] {
  return Array.from({ length: 30 }, (_, i) => ({
    labels: [
      { name: '__name__', value: i % 3 === 0 ? 'node_cpu_seconds_total' : 'apiserver_request_total' },
      { name: 'cluster', value: `c${i % 4}` },
      { name: 'verb', value: `V${i}` },
    ],
    samples: i === 7 ? [] : Array.from({ length: 1 + (i % 2) }, (_, j) => ({ value: round * 10 + i + j, timestampMs: 1_700_000_000_000 + round * 15_000 + j })),
  }));
}

describe('decode workers (ingest.workerThreads)', () => {
  const labelCache = { maxEntriesLog2: 10, maxBytes: 1 << 20 };
  const pool = new DecodePool(2, { wantedMetrics, limits: defaultLimits, maxDecompressedBytes: 1 << 20, labelCache });
  after(() => pool.close());
  const withoutRefs = (series: readonly RawSeries[]): RawSeries[] => series.map(({ labels, samples }) => ({ labels, samples }));

  it('hands back what the in-line decoder returns, with one label list and ref per series across requests', async () => {
    const seen = new Map<string, RawSeries>();
    for (let round = 0; round < 4; round++) {
      const body = encodeWriteRequestV1(request(round));
      const [viaWorker, again] = await Promise.all([pool.decode(snappyCompress(body)), pool.decode(snappyCompress(body))]);
      const inline = decodeWriteRequestV1(body, wants, defaultLimits);
      for (const decoded of [viaWorker, again]) {
        assert.deepEqual(withoutRefs(decodedSeries(decoded)), withoutRefs(decodedSeries(inline)));
        assert.deepEqual({ ...decoded, series: [], columns: undefined }, { ...inline, series: [], columns: undefined });
        for (const s of decodedSeries(decoded)) {
          assert.ok(s.ref !== undefined);
          const key = JSON.stringify(s.labels);
          const first = seen.get(key);
          // the same worker hands out the same list for a series: the store keeps its id in the ref
          if (first !== undefined && first.labels === s.labels) assert.equal(first.ref, s.ref);
          else if (first === undefined) seen.set(key, s);
        }
      }
    }
    assert.equal(seen.size, 19); // 20 wanted series, one of them without samples
  });

  it('fails a bad request with the in-line decoder’s 4xx, and keeps working', async () => {
    const bad = await pool.decode(Buffer.from([5, 1, 2, 3, 4, 5])).catch((e: unknown) => e);
    assert.ok(bad instanceof DomainError);
    assert.equal(bad.code, 'bad_request');
    const huge = await pool.decode(snappyCompress(new Uint8Array(2 << 20))).catch((e: unknown) => e);
    assert.ok(huge instanceof DomainError);
    assert.equal(huge.code, 'payload_too_large');
    const ok = await pool.decode(snappyCompress(encodeWriteRequestV1(request(9))));
    assert.equal(decodedSeries(ok).length, 19);
  });

  it('delivers series it cannot cache (labels split by another field) in order, without keeping a handle for each', async () => {
    const single = new DecodePool(1, { wantedMetrics, limits: defaultLimits, maxDecompressedBytes: 1 << 20, labelCache });
    try {
      const handlesKept = (): number => (single as unknown as { slots: { known: unknown[] }[] }).slots[0]!.known.length;
      const split = (round: number): Uint8Array => {
        const w = protobuf.Writer.create();
        for (let i = 0; i < 5; i++) {
          w.uint32(0x0a).fork();
          w.uint32(0x0a).fork().uint32(0x0a).string('__name__').uint32(0x12).string('apiserver_request_total').ldelim();
          w.uint32(0x12).fork().uint32(0x09).double(round).uint32(0x10).int64(1_700_000_000_000 + round * 15_000).ldelim();
          w.uint32(0x0a).fork().uint32(0x0a).string('cluster').uint32(0x12).string(`split-${i}`).ldelim();
          w.ldelim();
        }
        return w.finish();
      };
      let kept = -1;
      for (let round = 1; round <= 4; round++) {
        const body = Buffer.concat([split(round), encodeWriteRequestV1(request(round))]);
        const decoded = await single.decode(snappyCompress(body));
        assert.deepEqual(withoutRefs(decodedSeries(decoded)), withoutRefs(decodedSeries(decodeWriteRequestV1(body, wants, defaultLimits))));
        assert.deepEqual(
          decodedSeries(decoded).slice(0, 5).map((x) => x.labels[1]!.value),
          [0, 1, 2, 3, 4].map((i) => `split-${i}`),
        );
        if (round > 1) assert.equal(handlesKept(), kept, 'the split series took no numbered handle');
        kept = handlesKept();
      }
    } finally {
      await single.close();
    }
  });

  it('reports how often a worker’s label cache was full and started over', async () => {
    const resets: number[] = [];
    // room for 4 series; each request has 20 wanted ones
    const tiny = new DecodePool(1, { wantedMetrics, limits: defaultLimits, maxDecompressedBytes: 1 << 20, labelCache: { maxEntriesLog2: 2, maxBytes: 1 << 20 } }, (n) => resets.push(n));
    try {
      for (let round = 1; round <= 3; round++) {
        const body = encodeWriteRequestV1(request(round));
        const decoded = await tiny.decode(snappyCompress(body));
        assert.deepEqual(withoutRefs(decodedSeries(decoded)), withoutRefs(decodedSeries(decodeWriteRequestV1(body, wants, defaultLimits))));
      }
      assert.ok(resets.length === 3 && resets.every((n) => n >= 4), JSON.stringify(resets));
    } finally {
      await tiny.close();
    }
  });
});
