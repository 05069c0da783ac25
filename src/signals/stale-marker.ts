// Prometheus marks the end of a series with a NaN whose bit pattern is 0x7ff0000000000002;
// any other NaN is an ordinary (unusable) value.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = littleEndian ? 1 : 0;
const LO = littleEndian ? 0 : 1;

function makeStaleNaN(): number {
  words[HI] = 0x7ff00000;
  words[LO] = 0x00000002;
  return scratch[0]!;
}

export const STALE_NAN: number = makeStaleNaN();

export function isStaleMarker(value: number): boolean {
  if (value === value) return false;
  scratch[0] = value;
  return words[HI] === 0x7ff00000 && words[LO] === 0x00000002;
}
