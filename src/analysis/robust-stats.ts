// Robust location and scale, NaN-tolerant: windows have holes where scrapes were missed.

export function finiteValues(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** median absolute deviation scaled to a normal σ */
export function robustSigma(values: readonly number[], center = median(values)): number {
  if (values.length < 2) return 0;
  return 1.4826 * median(values.map((v) => Math.abs(v - center)));
}

/** the last `count` finite values, oldest first */
export function lastFinite(values: ArrayLike<number>, count: number): number[] {
  const out: number[] = [];
  for (let i = values.length - 1; i >= 0 && out.length < count; i--) {
    const v = values[i]!;
    if (Number.isFinite(v)) out.unshift(v);
  }
  return out;
}

export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length < 3) return Number.NaN;
  const rank = (v: readonly number[]): number[] => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const rx = rank(xs);
  const ry = rank(ys);
  const n = xs.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (rx[i]! - ry[i]!) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}
