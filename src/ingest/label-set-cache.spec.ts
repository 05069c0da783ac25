import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawSeries } from '../signals/signal.types.js';
import { defaultLimits, sampleSeries } from './ingest-test-fixtures.js';
import { LabelSetCache } from './label-set-cache.js';
import { decodeWriteRequestV1 } from './remote-write-v1.decoder.js';
import { encodeWriteRequestV1 } from './remote-write.codec.js';
import { Utf8Interner } from './utf8-interner.js';

const all = (): boolean => true;

describe('remote_write 1.0: label lists cached by their wire bytes', () => {
  it('hands out one frozen list per series across requests, equal to the decoded labels', () => {
    const strings = new Utf8Interner(4);
    const labelSets = new LabelSetCache(4);
    const sent = sampleSeries();
    const first = decodeWriteRequestV1(encodeWriteRequestV1(sent), all, defaultLimits, strings, labelSets);
    const second = decodeWriteRequestV1(encodeWriteRequestV1(sent), all, defaultLimits, strings, labelSets);
    assert.equal(first.series.length, sent.length);
    first.series.forEach((s, i) => {
      assert.deepEqual(s.labels, sent[i]!.labels);
      assert.ok(Object.isFrozen(s.labels));
      assert.equal(second.series[i]!.labels, s.labels);
    });
  });

  it('never confuses series in a tiny cache where most share a slot', () => {
    const strings = new Utf8Interner(1);
    const labelSets = new LabelSetCache(1);
    const sent: RawSeries[] = Array.from({ length: 40 }, (_, i) => ({
      labels: [
        { name: '__name__', value: 'up' },
        { name: 'instance', value: `10.0.0.${i}:9100` },
      ],
      samples: [{ value: i, timestampMs: 1000 + i }],
    }));
    for (let round = 0; round < 3; round++) {
      const decoded = decodeWriteRequestV1(encodeWriteRequestV1(sent), all, defaultLimits, strings, labelSets);
      assert.deepEqual(decoded.series, sent);
    }
  });

  it('reads timestamps of every varint length, negative ones included', () => {
    const timestamps = [1, 127, 128, 1_700_000_000_123, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1, -1, -1_700_000_000_123];
    const sent: RawSeries[] = [{ labels: [{ name: '__name__', value: 'up' }], samples: timestamps.map((timestampMs, i) => ({ value: i, timestampMs })) }];
    const decoded = decodeWriteRequestV1(encodeWriteRequestV1(sent), all, defaultLimits);
    assert.deepEqual(decoded.series[0]!.samples.map((s) => s.timestampMs), timestamps);
  });
});
