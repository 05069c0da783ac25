import { DomainError } from '../common/domain-error.js';

export type RemoteWriteVersion = 'remote_write_v1' | 'remote_write_v2';

const unsupported = (message: string): DomainError => new DomainError('unsupported_media_type', message);

// Content negotiation of remote_write 1.0/2.0: the proto parameter selects the message;
// without it the sender is a 1.0 sender. Only snappy block compression is supported.
export function remoteWriteVersion(contentType: string | undefined, contentEncoding: string | undefined): RemoteWriteVersion {
  if (contentType === undefined) throw unsupported('missing Content-Type (expected application/x-protobuf)');
  const [mediaType, ...params] = contentType.split(';').map((p) => p.trim());
  if (mediaType?.toLowerCase() !== 'application/x-protobuf') throw unsupported(`unsupported Content-Type ${oneLine(contentType)}`);
  const proto = params.find((p) => p.toLowerCase().startsWith('proto='))?.slice('proto='.length).replace(/^"|"$/g, '');
  let version: RemoteWriteVersion;
  if (proto === undefined || proto === 'prometheus.WriteRequest') version = 'remote_write_v1';
  else if (proto === 'io.prometheus.write.v2.Request') version = 'remote_write_v2';
  else throw unsupported(`unsupported proto ${oneLine(proto)}`);
  if (contentEncoding?.trim().toLowerCase() !== 'snappy') {
    throw unsupported(`unsupported Content-Encoding ${oneLine(contentEncoding ?? '(none)')} (expected snappy)`);
  }
  return version;
}

const oneLine = (s: string): string => JSON.stringify(s.slice(0, 80));
