// Seeded, deterministic randomness for the simulator. Never Math.random: the same seed must
// give the same bytes on every run and machine.

/** mulberry32: tiny, fast, good enough for simulation noise. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** standard normal (Box-Muller; one value per call keeps the stream simple to reason about) */
  gaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** multiplicative noise around 1 with relative spread sigma, never negative */
  jitter(sigma: number): number {
    return Math.max(0, 1 + sigma * this.gaussian());
  }
}

/** Derives independent streams from one scenario seed and a name (FNV-1a over the name). */
export function streamSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
