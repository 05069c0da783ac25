// Prometheus's staleness marker: a NaN with the exact bit pattern 0x7ff0000000000002. Kept in
// a Float64Array (typed arrays keep NaN payloads; plain JS arrays may canonicalise them).
const bits = new DataView(new ArrayBuffer(8));
bits.setUint32(0, 0x7ff00000);
bits.setUint32(4, 0x00000002);

export const STALE_NAN: number = bits.getFloat64(0);

export function isStaleMarker(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  bits.setFloat64(0, value);
  return bits.getUint32(0) === 0x7ff00000 && bits.getUint32(4) === 0x00000002;
}
