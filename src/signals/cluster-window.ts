import type { ComponentDef } from './signal-plan.js';
import type { StepEvaluator } from './step-evaluator.js';

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
  private components = 0;
  /** per component: H increase/diff slots, then H coverage/count slots */
  open = new Float64Array(0);
  /** per component: folded gauge diffs (sum, count), or the carried max (value, step) */
  private base = new Float64Array(0);
  private readonly final: Float64Array;
  /** per step (ring of windowSteps): newest sample time in it and the settle time then, for as-of reads */
  private readonly sampleAt: Float64Array;
  private readonly settleAt: Float64Array;

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
    this.final = new Float64Array(signalCount * geometry.windowSteps).fill(Number.NaN);
    this.sampleAt = new Float64Array(geometry.windowSteps).fill(Number.NaN);
    this.settleAt = new Float64Array(geometry.windowSteps);
    this.grow();
  }

  /** places the open ring at the cluster's first sample, leaving room for series scraped a little earlier */
  reposition(firstStep: number): void {
    this.lo = Math.max(0, firstStep - (this.geometry.openSteps - this.geometry.lookbackSteps - 2));
    this.finalBefore = this.lo;
  }

  /** makes room for components created after this window (new histogram buckets) */
  grow(): void {
    const n = this.defs.length;
    if (n === this.components) return;
    const h = this.geometry.openSteps;
    const open = new Float64Array(n * 2 * h);
    open.set(this.open);
    this.open = open;
    const base = new Float64Array(n * 2);
    base.set(this.base);
    for (let c = this.components; c < n; c++) if (this.defs[c]!.kind === 'gauge_max') base[2 * c + 1] = -Infinity;
    this.base = base;
    this.components = n;
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
    if (s < 0) {
      this.base[2 * c]! += dv;
      this.base[2 * c + 1]! += dn;
      return;
    }
    const at = 2 * c * this.geometry.openSteps + s;
    this.open[at]! += dv;
    this.open[at + this.geometry.openSteps]! += dn;
  }

  addMax(c: number, k: number, v: number): void {
    const s = this.slot(k);
    if (s < 0) return;
    const at = 2 * c * this.geometry.openSteps + s;
    const h = this.geometry.openSteps;
    if (this.open[at + h] === 0 || v > this.open[at]!) this.open[at] = v;
    this.open[at + h]! += 1;
  }

  /** remembers the newest sample time per step (called when the watermark moves) */
  noteSample(t: number): void {
    const k = Math.floor(t / this.geometry.stepMs);
    const i = k % this.geometry.windowSteps;
    this.sampleAt[i] = t;
    this.settleAt[i] = Math.max(this.intervalNow, this.intervalBefore);
  }

  /**
   * As of asOfMs: the newest sample time at or before it and the step before which points
   * were final then (same rule as completeBefore), or undefined when the window does not
   * reach back that far or nothing had arrived by then.
   */
  asOf(asOfMs: number): { lastSampleMs: number; finalBefore: number } | undefined {
    const { stepMs, windowSteps, lookbackSteps } = this.geometry;
    const newest = Math.floor(asOfMs / stepMs);
    for (let k = newest; k > newest - windowSteps && k >= 0; k--) {
      const t = this.sampleAt[k % windowSteps]!;
      if (!(Math.floor(t / stepMs) === k && t <= asOfMs)) continue;
      const settle = this.settleAt[k % windowSteps]! > 0 ? this.settleAt[k % windowSteps]! : lookbackSteps * stepMs;
      return { lastSampleMs: t, finalBefore: Math.min(this.finalBefore, Math.floor((t - settle) / stepMs)) };
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

  /** the finished value of signal s at step k, NaN when not final or out of the window */
  value(s: number, k: number): number {
    const w = this.geometry.windowSteps;
    if (k < 0 || k >= this.finalBefore || k < this.finalBefore - w) return Number.NaN;
    return this.final[s * w + (k % w)]!;
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
    for (let c = 0; c < this.components; c++) {
      const at = 2 * c * h + slot;
      const kind = this.defs[c]!.kind;
      if (kind === 'gauge_sum') {
        this.base[2 * c]! += this.open[at]!;
        this.base[2 * c + 1]! += this.open[at + h]!;
      } else if (kind === 'gauge_max' && this.open[at + h]! > 0) {
        this.base[2 * c] = this.open[at]!;
        this.base[2 * c + 1] = k;
      }
      this.open[at] = 0;
      this.open[at + h] = 0;
    }
  }

  private finalize(first: number, to: number): void {
    const { openSteps: h, windowSteps: w, lookbackSteps } = this.geometry;
    const n = this.components;
    this.scratch.ensure(n, this.signalCount);
    const { values, aux, cum, cumCount, carry, carryStep, out } = this.scratch;
    // after a jump longer than the window only its last W steps can be held
    const from = Math.max(first, to - w);
    const prefixEnd = Math.min(from, this.lo + h);
    // gauges: prefix sums up to `from`; max gauges: the newest value before `from`
    for (let c = 0; c < n; c++) {
      const kind = this.defs[c]!.kind;
      if (kind === 'gauge_sum') {
        let v = this.base[2 * c]!;
        let m = this.base[2 * c + 1]!;
        for (let k = this.lo; k < prefixEnd; k++) {
          v += this.open[2 * c * h + (k % h)]!;
          m += this.open[2 * c * h + h + (k % h)]!;
        }
        cum[c] = v;
        cumCount[c] = m;
      } else if (kind === 'gauge_max') {
        carry[c] = this.base[2 * c]!;
        carryStep[c] = this.base[2 * c + 1]!;
        for (let k = this.lo; k < prefixEnd; k++) {
          const at = 2 * c * h + (k % h);
          if (this.open[at + h]! > 0) {
            carry[c] = this.open[at]!;
            carryStep[c] = k;
          }
        }
      }
    }
    for (let k = from; k < to; k++) {
      const inRing = k >= this.lo && k < this.lo + h;
      const slot = k % h;
      for (let c = 0; c < n; c++) {
        const at = 2 * c * h + slot;
        const d = inRing ? this.open[at]! : 0;
        const a = inRing ? this.open[at + h]! : 0;
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
      for (let s = 0; s < this.signalCount; s++) this.final[s * w + (k % w)] = out[s]!;
    }
    if (to > this.finalBefore) this.finalBefore = to;
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
