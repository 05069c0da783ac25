import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs/minimal.js';
import type { RawSeries } from '../signals/signal.types.js';
import { decodedSeries, defaultLimits, sampleSeries } from './ingest-test-fixtures.js';
import { LabelSetCache } from './label-set-cache.js';
import { SampleColumnsBuilder } from './sample-columns.js';
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
    assert.equal(decodedSeries(first).length, sent.length);
    decodedSeries(first).forEach((s, i) => {
      assert.deepEqual(s.labels, sent[i]!.labels);
      assert.ok(Object.isFrozen(s.labels));
      assert.equal(decodedSeries(second)[i]!.labels, s.labels);
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
      assert.deepEqual(withoutRefs(decodedSeries(decoded)), sent);
    }
  });

  it('decodes a known series (labels found by their bytes, the sample read from the end) as a fresh decoder does', () => {
    const labelSets = new LabelSetCache(8);
    const strings = new Utf8Interner(8);
    const labels = (i: number): RawSeries['labels'] => [
      { name: '__name__', value: i % 3 === 0 ? 'node_cpu_seconds_total' : 'apiserver_request_total' },
      { name: 'cluster', value: `c${i % 4}` },
      { name: 'verb', value: i % 2 ? 'GET' : 'LIST' },
    ];
    const wanted = (name: string): boolean => name === 'apiserver_request_total';
    // value 0 is left out of the wire by proto3 senders; timestamps of 1 to 7 varint bytes
    const timestamps = [1_700_000_000_123, 1_700_000_015_123, 5, 2 ** 48 + 3];
    for (const [round, timestampMs] of timestamps.entries()) {
      const sent: RawSeries[] = Array.from({ length: 24 }, (_, i) => ({ labels: labels(i), samples: [{ value: (i + round) % 2 === 0 ? 0 : i + 0.5, timestampMs }] }));
      const body = encodeAsProto3(sent);
      const cached = decodeWriteRequestV1(body, wanted, defaultLimits, strings, labelSets);
      const fresh = decodeWriteRequestV1(body, wanted, defaultLimits);
      assert.deepEqual(withoutRefs(decodedSeries(cached)), withoutRefs(decodedSeries(fresh)));
      assert.deepEqual({ ...cached, series: [] }, { ...fresh, series: [] });
      assert.equal(decodedSeries(cached).length, 16);
      assert.ok(decodedSeries(cached).every((s) => s.ref !== undefined));
    }
  });
});

/** as Prometheus' gogo-protobuf writes it: a value or timestamp of 0 is left out */
function encodeAsProto3(series: readonly RawSeries[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const s of series) {
    w.uint32(0x0a).fork();
    for (const l of s.labels) w.uint32(0x0a).fork().uint32(0x0a).string(l.name).uint32(0x12).string(l.value).ldelim();
    for (const x of s.samples) {
      w.uint32(0x12).fork();
      if (x.value !== 0) w.uint32(0x09).double(x.value);
      if (x.timestampMs !== 0) w.uint32(0x10).int64(x.timestampMs);
      w.ldelim();
    }
    w.ldelim();
  }
  return w.finish();
}

const withoutRefs = (series: readonly RawSeries[]): RawSeries[] => series.map(({ labels, samples }) => ({ labels, samples }));

describe('the label cache bound', () => {
  it('starts over when full and keeps answering right', () => {
    const labelSets = new LabelSetCache(2);
    const sent: RawSeries[] = Array.from({ length: 9 }, (_, i) => ({ labels: [{ name: '__name__', value: `m${i}` }], samples: [{ value: i, timestampMs: 1 }] }));
    for (let round = 0; round < 3; round++) {
      const decoded = decodeWriteRequestV1(encodeWriteRequestV1(sent), all, defaultLimits, new Utf8Interner(2), labelSets);
      assert.deepEqual(withoutRefs(decodedSeries(decoded)), sent);
    }
    assert.ok(labelSets.resets >= 6, `${labelSets.resets} resets counted`);
    assert.ok(labelSets.size <= 4);
  });

  it('reads timestamps of every varint length, negative ones included', () => {
    const timestamps = [1, 127, 128, 1_700_000_000_123, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1, -1, -1_700_000_000_123];
    const sent: RawSeries[] = [{ labels: [{ name: '__name__', value: 'up' }], samples: timestamps.map((timestampMs, i) => ({ value: i, timestampMs })) }];
    const decoded = decodeWriteRequestV1(encodeWriteRequestV1(sent), all, defaultLimits);
    assert.deepEqual(decodedSeries(decoded)[0]!.samples.map((s) => s.timestampMs), timestamps);
  });
});

describe('series the label cache cannot key', () => {
  it('are delivered in wire order with the cached ones, so a series sent twice keeps both samples', () => {
    const labels = [
      { name: '__name__', value: 'apiserver_request_total' },
      { name: 'cluster', value: 'a' },
    ];
    // the second copy has its sample between its two label fields (legal protobuf, no byte range to key)
    const w = protobuf.Writer.create();
    w.uint32(0x0a).fork();
    w.uint32(0x0a).fork().uint32(0x0a).string(labels[0]!.name).uint32(0x12).string(labels[0]!.value).ldelim();
    w.uint32(0x12).fork().uint32(0x09).double(2).uint32(0x10).int64(2000).ldelim();
    w.uint32(0x0a).fork().uint32(0x0a).string(labels[1]!.name).uint32(0x12).string(labels[1]!.value).ldelim();
    w.ldelim();
    const split = w.finish();
    const plain = encodeWriteRequestV1([{ labels, samples: [{ value: 1, timestampMs: 1000 }] }]);
    const body = Buffer.concat([plain, split]);
    const labelSets = new LabelSetCache(4);
    for (let round = 0; round < 2; round++) {
      const decoded = decodeWriteRequestV1(body, all, defaultLimits, new Utf8Interner(4), labelSets);
      assert.deepEqual(
        decodedSeries(decoded).map((s) => s.samples.map((x) => x.timestampMs)),
        [[1000], [2000]],
      );
    }
  });
});

describe('the sample columns', () => {
  it('give back what a large request grew them to', () => {
    const columns = new SampleColumnsBuilder();
    const series = { labels: [], ref: { owner: undefined, id: -1, generation: 0 } };
    for (let i = 0; i < 300_000; i++) columns.push(series, i, i);
    assert.equal(columns.count, 300_000);
    assert.equal(columns.timestamps[299_999], 299_999);
    columns.reset();
    assert.equal(columns.count, 0);
    assert.ok(columns.timestamps.length <= 1 << 18, `${columns.timestamps.length} entries kept`);
    assert.equal(columns.series.length, 0);
  });
});
