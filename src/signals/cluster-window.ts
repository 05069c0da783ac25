import type { ComponentDef } from './signal-plan.js';
import type { StepEvaluator } from './step-evaluator.js';

/** a signal ring's first size; it doubles up to the window as the signal's history grows */
const INITIAL_RING_STEPS = 16;

export interface WindowGeometry {
  readonly stepMs: number;
  /** steps kept in the finished signal windows */
  readonly windowSteps: number;
  /** steps a gauge value is carried forward (Prometheus' lookback) */
  readonly lookbackSteps: number;
  /** slots of the open accumulators: steps not final yet plus room for late samples */
  readonly openSteps: number;
}

// One cluster's state in event time. Open accumulators (a short ring per component) take
// the raw samples; when every series has reported past a step, the step is evaluated
// once into the signal windows (a ring per signal). Gauges are stored as difference
// arrays — a sample changes its series' contribution from its step to where the
// lookback ends — so a step's sum is a prefix sum, whatever the number of series.
// Memory follows the data: a component's accumulator exists once a series fed it, a
// signal's ring once it had a value, and a ring starts small and doubles up to the window.
export class ClusterWindow {
  /** newest sample time */
  watermarkMs = -Infinity;
  /** lowest step held in the open ring */
  lo: number;
  /** steps before this are final */
  finalBefore: number;
  /** set when the watermark moved; the store then completes steps */
  dirty = false;
  /** largest scrape interval seen in this and the previous epoch (ms) */
  private intervalNow = 0;
  private intervalBefore = 0;
  private epochStep = -Infinity;
  /**
   * per component fed so far: H increase/diff slots, H coverage/count slots, then the folded
   * gauge diffs (sum, count) or the carried max (value, step)
   */
  private readonly accumulators: (Float64Array | undefined)[] = [];
  /** ids of the components in `accumulators`, ascending */
  private readonly fed: number[] = [];
  /** per signal that ever had a value: its ring, and the first step it holds */
  private readonly rings: (Float64Array | undefined)[] = [];
  private readonly ringFrom: number[] = [];
  /**
   * per recent step, for as-of reads: the newest sample time in it and the settle time then
   * (pairs, a ring keyed by step that grows with the cluster's age up to the window)
   */
  private sampled = new Float64Array(0);
  private firstSampledStep = -1;
  /** steps before this were restored final (from the database or a pull source) */
  private restoredBefore = 0;

  constructor(
    readonly name: string,
    private readonly geometry: WindowGeometry,
    private readonly defs: readonly ComponentDef[],
    private readonly signalCount: number,
    private readonly evaluator: StepEvaluator,
    private readonly scratch: StepScratch,
  ) {
    this.lo = 0;
    this.finalBefore = 0;
  }

  /** places the open ring at the cluster's first sample, leaving room for series scraped a little earlier */
  reposition(firstStep: number): void {
    this.lo = Math.max(0, firstStep - (this.geometry.openSteps - this.geometry.lookbackSteps - 2));
    this.finalBefore = this.lo;
  }

  /** bytes of typed arrays this window holds (for the memory bench and the stats) */
  bytes(): number {
    let n = 0;
    for (const c of this.fed) n += this.accumulators[c]!.byteLength;
    for (const r of this.rings) if (r) n += r.byteLength;
    n += this.sampled.byteLength;
    return n;
  }

  /** the accumulator of component c, created on first use */
  acc(c: number): Float64Array {
    const known = this.accumulators[c];
    if (known) return known;
    const h = this.geometry.openSteps;
    const a = new Float64Array(2 * h + 2);
    if (this.defs[c]!.kind === 'gauge_max') a[2 * h + 1] = -Infinity;
    while (this.accumulators.length < c) this.accumulators.push(undefined);
    this.accumulators[c] = a;
    let i = this.fed.length;
    this.fed.push(c);
    while (i > 0 && this.fed[i - 1]! > c) {
      this.fed[i] = this.fed[i - 1]!;
      i--;
    }
    this.fed[i] = c;
    return a;
  }

  noteInterval(ms: number): void {
    if (ms > this.intervalNow) this.intervalNow = ms;
  }

  /** slot of step k in the open ring, -1 when k is older than the ring */
  slot(k: number): number {
    const h = this.geometry.openSteps;
    if (k < this.lo) return -1;
    if (k >= this.lo + h) this.advance(k - h + 1);
    return k % h;
  }

  /** adds to a gauge's difference array; a change older than the ring applies to all held steps */
  addGauge(c: number, k: number, dv: number, dn: number): void {
    const s = this.slot(k);
    const a = this.acc(c);
    const h = this.geometry.openSteps;
    if (s < 0) {
      a[2 * h]! += dv;
      a[2 * h + 1]! += dn;
      return;
    }
    a[s]! += dv;
    a[s + h]! += dn;
  }

  addMax(c: number, k: number, v: number): void {
    const s = this.slot(k);
    if (s < 0) return;
    const a = this.acc(c);
    const h = this.geometry.openSteps;
    if (a[s + h] === 0 || v > a[s]!) a[s] = v;
    a[s + h]! += 1;
  }

  /** remembers the newest sample time per step (called when the watermark moves) */
  noteSample(t: number): void {
    this.noteAt(t, Math.max(this.intervalNow, this.intervalBefore));
  }

  /** a restored step reads, as of later times, as if its last sample came at its end and settled at once */
  private noteRestoredStep(k: number): void {
    this.noteAt((k + 1) * this.geometry.stepMs - 1, 1);
  }

  private noteAt(t: number, settleMs: number): void {
    const k = Math.floor(t / this.geometry.stepMs);
    if (this.firstSampledStep < 0) this.firstSampledStep = k;
    const want = Math.min(this.geometry.windowSteps, Math.max(INITIAL_RING_STEPS, k - this.firstSampledStep + 1));
    if (want > this.sampled.length / 2) this.growSampled(want);
    const i = 2 * (k % (this.sampled.length / 2));
    this.sampled[i] = t;
    this.sampled[i + 1] = settleMs;
  }

  private growSampled(want: number): void {
    let size = Math.max(INITIAL_RING_STEPS, this.sampled.length / 2);
    while (size < want) size = Math.min(2 * size, this.geometry.windowSteps);
    const old = this.sampled;
    const next = new Float64Array(2 * size).fill(Number.NaN);
    for (let i = 0; i < old.length; i += 2) {
      const t = old[i]!;
      if (t !== t) continue;
      const j = 2 * (Math.floor(t / this.geometry.stepMs) % size);
      next[j] = t;
      next[j + 1] = old[i + 1]!;
    }
    this.sampled = next;
  }

  /**
   * As of asOfMs: the newest sample time at or before it and the step before which points
   * were final then (same rule as completeBefore), or undefined when the window does not
   * reach back that far or nothing had arrived by then.
   */
  asOf(asOfMs: number): { lastSampleMs: number; finalBefore: number } | undefined {
    const { stepMs, windowSteps, lookbackSteps } = this.geometry;
    const n = this.sampled.length / 2;
    const newest = Math.floor(asOfMs / stepMs);
    for (let k = newest; k > newest - Math.min(n, windowSteps) && k >= 0; k--) {
      const i = 2 * (k % n);
      const t = this.sampled[i]!;
      if (!(Math.floor(t / stepMs) === k && t <= asOfMs)) continue;
      const settle = this.sampled[i + 1]! > 0 ? this.sampled[i + 1]! : lookbackSteps * stepMs;
      // restored steps were final from the start, even while the scrape interval is not known
      // again yet after a restart (then the settle time falls back to the whole lookback)
      const settled = Math.min(this.finalBefore, Math.floor((t - settle) / stepMs));
      return { lastSampleMs: t, finalBefore: Math.max(settled, Math.min(this.restoredBefore, newest)) };
    }
    return undefined;
  }

  /** steps before the returned one are final once the watermark has passed them by about one scrape interval */
  completeBefore(): number {
    const { stepMs, lookbackSteps } = this.geometry;
    const wmStep = Math.floor(this.watermarkMs / stepMs);
    if (wmStep >= this.epochStep + lookbackSteps) {
      this.intervalBefore = this.intervalNow;
      this.intervalNow = 0;
      this.epochStep = wmStep;
    }
    const interval = Math.max(this.intervalNow, this.intervalBefore);
    const settleMs = interval > 0 ? interval : lookbackSteps * stepMs;
    return Math.floor((this.watermarkMs - settleMs) / stepMs);
  }

  complete(): void {
    this.dirty = false;
    const target = this.completeBefore();
    if (target > this.finalBefore) this.finalize(this.finalBefore, Math.min(target, this.lo + this.geometry.openSteps));
  }

  /**
   * Puts final points computed elsewhere (a pull source, persisted points after a restart):
   * steps up to the newest one become final (steps skipped on the way read as missing), points
   * of steps already final overwrite them where the window still holds them, points older than
   * the window are dropped, and the watermark moves to the end of the newest step. New steps
   * are written in step order for every signal, as finalize() does, since a ring grows by the
   * steps written to it.
   */
  restoreFinal(signals: Int32Array, steps: Float64Array, values: Float64Array): void {
    const w = this.geometry.windowSteps;
    let newest = -1;
    for (let i = 0; i < steps.length; i++) if (signals[i]! >= 0 && steps[i]! > newest) newest = steps[i]!;
    if (newest < 0) return;
    const end = newest + 1;
    const start = this.finalBefore;
    if (end > start) {
      const from = Math.max(start, end - w);
      // a jump longer than the window: nothing older can be held
      if (from > start) this.rings.length = 0;
      const n = end - from;
      const staged: (Float64Array | undefined)[] = [];
      for (let i = 0; i < steps.length; i++) {
        const s = signals[i]!;
        const k = steps[i]!;
        if (s < 0 || k < from || k >= end) continue;
        let column = staged[s];
        if (column === undefined) {
          column = new Float64Array(n).fill(Number.NaN);
          staged[s] = column;
        }
        column[k - from] = values[i]!;
      }
      for (let k = from; k < end; k++) for (let s = 0; s < this.signalCount; s++) this.store(s, k, staged[s]?.[k - from] ?? Number.NaN);
      for (let k = from; k < end; k++) this.noteRestoredStep(k);
      const pristine = this.watermarkMs === -Infinity;
      this.finalBefore = end;
      this.restoredBefore = end;
      // a cluster without pushed samples yet: later pushes start after the restored steps
      if (pristine) this.lo = Math.max(this.lo, end);
    }
    for (let i = 0; i < steps.length; i++) {
      const s = signals[i]!;
      const k = steps[i]!;
      if (s >= 0 && k >= 0 && k < start && k >= end - w) this.overwrite(s, k, values[i]!);
    }
    const endMs = end * this.geometry.stepMs;
    if (endMs > this.watermarkMs) this.watermarkMs = endMs;
  }

  /** replaces the final value of signal s at step k when its ring still holds that step */
  private overwrite(s: number, k: number, v: number): void {
    const ring = this.rings[s];
    if (ring === undefined || k < this.ringFrom[s]! || k < this.finalBefore - ring.length) return;
    ring[k % ring.length] = v;
  }

  /** the finished value of signal s at step k, NaN when not final or out of the window */
  value(s: number, k: number): number {
    const ring = this.rings[s];
    if (ring === undefined || k < this.ringFrom[s]! || k >= this.finalBefore || k < this.finalBefore - this.geometry.windowSteps) return Number.NaN;
    return ring[k % ring.length]!;
  }

  /** newest final finite value of signal s in the window */
  latest(s: number): number | undefined {
    const ring = this.rings[s];
    if (ring === undefined) return undefined;
    const oldest = Math.max(this.ringFrom[s]!, this.finalBefore - this.geometry.windowSteps, 0);
    for (let k = this.finalBefore - 1; k >= oldest; k--) {
      const v = ring[k % ring.length]!;
      if (v === v) return v;
    }
    return undefined;
  }

  private advance(newLo: number): void {
    const h = this.geometry.openSteps;
    // a sample far ahead of the rest forces the steps it pushes out to be final now
    if (newLo > this.finalBefore) this.finalize(this.finalBefore, newLo);
    const end = Math.min(newLo, this.lo + h);
    for (let k = this.lo; k < end; k++) this.fold(k % h, k);
    this.lo = newLo;
  }

  private fold(slot: number, k: number): void {
    const h = this.geometry.openSteps;
    for (const c of this.fed) {
      const a = this.accumulators[c]!;
      const kind = this.defs[c]!.kind;
      if (kind === 'gauge_sum') {
        a[2 * h]! += a[slot]!;
        a[2 * h + 1]! += a[slot + h]!;
      } else if (kind === 'gauge_max' && a[slot + h]! > 0) {
        a[2 * h] = a[slot]!;
        a[2 * h + 1] = k;
      }
      a[slot] = 0;
      a[slot + h] = 0;
    }
  }

  private finalize(first: number, to: number): void {
    const { openSteps: h, windowSteps: w, lookbackSteps } = this.geometry;
    this.scratch.ensure(this.defs.length, this.signalCount);
    const { values, aux, cum, cumCount, carry, carryStep, out } = this.scratch;
    // components nothing fed read as empty: no increase, no live series, no max
    values.fill(0);
    aux.fill(0);
    // after a jump longer than the window only its last W steps can be held, and nothing older
    const from = Math.max(first, to - w);
    if (from > first) this.rings.length = 0;
    const prefixEnd = Math.min(from, this.lo + h);
    const fed = this.fed;
    // gauges: prefix sums up to `from`; max gauges: the newest value before `from`
    for (const c of fed) {
      const a = this.accumulators[c]!;
      const kind = this.defs[c]!.kind;
      if (kind === 'gauge_sum') {
        let v = a[2 * h]!;
        let m = a[2 * h + 1]!;
        for (let k = this.lo; k < prefixEnd; k++) {
          v += a[k % h]!;
          m += a[h + (k % h)]!;
        }
        cum[c] = v;
        cumCount[c] = m;
      } else if (kind === 'gauge_max') {
        carry[c] = a[2 * h]!;
        carryStep[c] = a[2 * h + 1]!;
        for (let k = this.lo; k < prefixEnd; k++) {
          if (a[(k % h) + h]! > 0) {
            carry[c] = a[k % h]!;
            carryStep[c] = k;
          }
        }
      }
    }
    for (let k = from; k < to; k++) {
      const inRing = k >= this.lo && k < this.lo + h;
      const slot = k % h;
      for (const c of fed) {
        const acc = this.accumulators[c]!;
        const d = inRing ? acc[slot]! : 0;
        const a = inRing ? acc[slot + h]! : 0;
        switch (this.defs[c]!.kind) {
          case 'counter':
            values[c] = d;
            aux[c] = a;
            break;
          case 'gauge_sum':
            cum[c]! += d;
            cumCount[c]! += a;
            values[c] = cum[c]!;
            aux[c] = cumCount[c]!;
            break;
          case 'gauge_max':
            if (a > 0) {
              carry[c] = d;
              carryStep[c] = k;
            }
            values[c] = carry[c]!;
            aux[c] = carryStep[c]! >= k - lookbackSteps ? 1 : 0;
            break;
        }
      }
      this.evaluator.evaluate(values, aux, out, this.name);
      for (let s = 0; s < this.signalCount; s++) this.store(s, k, out[s]!);
    }
    if (to > this.finalBefore) this.finalBefore = to;
  }

  /** writes step k of signal s; steps are written in order, so a ring holds [ringFrom, k) */
  private store(s: number, k: number, v: number): void {
    let ring = this.rings[s];
    if (ring === undefined) {
      if (v !== v) return;
      while (this.rings.length < s) this.rings.push(undefined);
      ring = new Float64Array(Math.min(INITIAL_RING_STEPS, this.geometry.windowSteps)).fill(Number.NaN);
      this.rings[s] = ring;
      this.ringFrom[s] = k;
    } else if (k - this.ringFrom[s]! >= ring.length && ring.length < this.geometry.windowSteps) {
      ring = this.grownRing(ring, this.ringFrom[s]!, k);
      this.rings[s] = ring;
    }
    ring[k % ring.length] = v;
  }

  /** a ring twice as large (at most the window) holding the steps [from, k) of the old one */
  private grownRing(old: Float64Array, from: number, k: number): Float64Array {
    const w = this.geometry.windowSteps;
    let size = old.length;
    while (size <= k - from && size < w) size = Math.min(2 * size, w);
    const ring = new Float64Array(size).fill(Number.NaN);
    for (let j = Math.max(from, k - old.length); j < k; j++) ring[j % size] = old[j % old.length]!;
    return ring;
  }
}

/** scratch arrays for finalization, shared by all clusters of a store */
export class StepScratch {
  values = new Float64Array(0);
  aux = new Float64Array(0);
  cum = new Float64Array(0);
  cumCount = new Float64Array(0);
  carry = new Float64Array(0);
  carryStep = new Float64Array(0);
  out = new Float64Array(0);

  ensure(components: number, signals: number): void {
    if (this.values.length < components) {
      this.values = new Float64Array(components);
      this.aux = new Float64Array(components);
      this.cum = new Float64Array(components);
      this.cumCount = new Float64Array(components);
      this.carry = new Float64Array(components);
      this.carryStep = new Float64Array(components);
    }
    if (this.out.length < signals) this.out = new Float64Array(signals);
  }
}
