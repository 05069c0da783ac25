import type { LabelPair } from './signal.types.js';

// A series is identified by a 64-bit hash of its labels (two independent 32-bit halves)
// computed straight from the label strings: no key string is built or compared per
// sample, and nothing but the hash is kept per series. With 2 million active series the
// chance that two of them share a hash is about 1e-7 (n² / 2⁶⁵).

/** writes the two hash halves of (name-sorted) labels into out[0], out[1] */
export function hashLabels(labels: readonly LabelPair[], out: Int32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (const label of labels) {
    const { name, value } = label;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = Math.imul(a ^ 0xff, 0x01000193);
    b = Math.imul(b ^ 0xff, 0x5bd1e995);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = Math.imul(a ^ 0xfe, 0x01000193);
    b = Math.imul(b ^ 0xfe, 0x5bd1e995);
  }
  out[0] = avalanche(a);
  out[1] = avalanche(b ^ 0x2545f491);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
