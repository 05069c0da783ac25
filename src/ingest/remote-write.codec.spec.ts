import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../common/domain-error.js';
import { bitsOf, decodedSeries, defaultLimits, sampleSeries, STALE_NAN_BITS, wantsCatalog } from './ingest-test-fixtures.js';
import { decodeWriteRequestV1 } from './remote-write-v1.decoder.js';
import { decodeWriteRequestV2 } from './remote-write-v2.decoder.js';
import { encodeWriteRequestV1, encodeWriteRequestV2 } from './remote-write.codec.js';

const all = (): boolean => true;
const versions = [
  { name: 'v1', encode: encodeWriteRequestV1, decode: decodeWriteRequestV1 },
  { name: 'v2', encode: encodeWriteRequestV2, decode: decodeWriteRequestV2 },
] as const;

const rejects = (fn: () => unknown, pattern: RegExp): void =>
  assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === 'bad_request' && pattern.test(e.message));

for (const { name, encode, decode } of versions) {
  describe(`remote_write ${name} codec`, () => {
    it('round-trips labels, values, negative timestamps and unicode', () => {
      const input = sampleSeries();
      const out = decode(encode(input), all, defaultLimits);
      assert.equal(out.samples, 5);
      assert.equal(out.ignoredSamples, 0);
      assert.deepEqual(
        decodedSeries(out).map((s) => s.labels),
        input.map((s) => s.labels),
      );
      assert.deepEqual(decodedSeries(out)[2]!.samples, [{ value: Infinity, timestampMs: -1000 }]);
      assert.deepEqual(
        decodedSeries(out)[0]!.samples.slice(0, 2),
        input[0]!.samples.slice(0, 2),
      );
    });

    it('passes the stale marker through with its exact NaN bit pattern', () => {
      const out = decode(encode(sampleSeries()), all, defaultLimits);
      const stale = decodedSeries(out)[0]!.samples[2]!;
      assert.ok(Number.isNaN(stale.value));
      assert.equal(bitsOf(stale.value), STALE_NAN_BITS);
    });

    it('skips series the sink does not want and counts their samples as ignored', () => {
      const asked: string[] = [];
      const out = decode(encode(sampleSeries()), (n) => (asked.push(n), wantsCatalog(n)), defaultLimits);
      assert.deepEqual(
        decodedSeries(out).map((s) => s.labels[0]!.value),
        ['apiserver_request_total', 'coredns_dns_responses_total'],
      );
      assert.equal(out.ignoredSamples, 1);
      assert.ok(asked.includes('node_cpu_seconds_total'));
    });

    it('rejects more series than maxSeriesPerRequest, naming the limit', () => {
      rejects(() => decode(encode(sampleSeries()), all, { ...defaultLimits, maxSeriesPerRequest: 2 }), /maxSeriesPerRequest=2/);
    });

    it('drops a series with more labels than maxLabelsPerSeries, counts it, and keeps the rest', () => {
      const out = decode(encode(sampleSeries()), all, { ...defaultLimits, maxLabelsPerSeries: 3 });
      assert.deepEqual(
        decodedSeries(out).map((s) => s.labels[0]!.value),
        ['node_cpu_seconds_total', 'coredns_dns_responses_total'],
      );
      assert.deepEqual(out.discarded, { max_labels_per_series: 3 });
      assert.equal(out.samples, 5);
    });

    it('drops series with a long label name or value, wanted or not, and keeps the rest', () => {
      const names = decode(encode(sampleSeries()), all, { ...defaultLimits, maxLabelNameBytes: 4 });
      assert.equal(decodedSeries(names).length, 0, '__name__ is 8 bytes');
      assert.deepEqual(names.discarded, { label_name_too_long: 5 });
      // apiserver_request_total (23 bytes) and coredns_dns_responses_total (27) are over 22;
      // node_cpu_seconds_total (22) is not, and not wanted: ignored as usual
      const values = decode(encode(sampleSeries()), wantsCatalog, { ...defaultLimits, maxLabelValueBytes: 22 });
      assert.deepEqual(
        decodedSeries(values).map((s) => s.labels[0]!.value),
        [],
      );
      assert.deepEqual(values.discarded, { label_value_too_long: 4 });
      assert.equal(values.ignoredSamples, 1);
    });

    it('rejects invalid UTF-8 in a label value', () => {
      const series = [{ labels: [{ name: '__name__', value: 'apiserver_x' }, { name: 'cluster', value: 'AAAA' }], samples: [{ value: 1, timestampMs: 1 }] }];
      const buf = Buffer.from(encode(series));
      buf.set([0xc3, 0x28], buf.indexOf('AAAA'));
      rejects(() => decode(buf, all, defaultLimits), /UTF-8/);
    });

    it('rejects a truncated request', () => {
      const buf = encode(sampleSeries());
      rejects(() => decode(buf.subarray(0, buf.length - 3), all, defaultLimits), /truncated|malformed/);
    });

    it('accepts an empty request', () => {
      assert.deepEqual(decodedSeries(decode(new Uint8Array(0), all, defaultLimits)), []);
    });
  });
}

describe('remote_write v2 specifics', () => {
  it('rejects a label ref beyond the symbols table', () => {
    // symbols ["", "__name__"], one series with refs [1, 7]
    const buf = Buffer.from([0x22, 0x00, 0x22, 0x08, ...Buffer.from('__name__'), 0x2a, 0x04, 0x0a, 0x02, 0x01, 0x07]);
    rejects(() => decodeWriteRequestV2(buf, all, defaultLimits), /label ref 7 out of range/);
  });

  it('rejects an odd number of label refs', () => {
    const buf = Buffer.from([0x22, 0x00, 0x22, 0x08, ...Buffer.from('__name__'), 0x2a, 0x03, 0x0a, 0x01, 0x01]);
    rejects(() => decodeWriteRequestV2(buf, all, defaultLimits), /odd length/);
  });
});
