import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../common/domain-error.js';
import { remoteWriteVersion } from './remote-write-protocol.js';

describe('remote_write content negotiation', () => {
  it('maps content types to protocol versions', () => {
    assert.equal(remoteWriteVersion('application/x-protobuf', 'snappy'), 'remote_write_v1');
    assert.equal(remoteWriteVersion('application/x-protobuf;proto=prometheus.WriteRequest', 'snappy'), 'remote_write_v1');
    assert.equal(remoteWriteVersion('application/x-protobuf; proto=io.prometheus.write.v2.Request', 'SNAPPY'), 'remote_write_v2');
  });

  it('answers 415 for unknown types, protos and encodings', () => {
    for (const [type, encoding] of [
      ['application/json', 'snappy'],
      ['application/x-protobuf;proto=io.prometheus.write.v3.Request', 'snappy'],
      ['application/x-protobuf', 'gzip'],
      ['application/x-protobuf', undefined],
      [undefined, 'snappy'],
    ] as const) {
      assert.throws(
        () => remoteWriteVersion(type, encoding),
        (e: unknown) => e instanceof DomainError && e.code === 'unsupported_media_type',
      );
    }
  });
});
