// histogram_quantile as Prometheus computes it, over cumulative bucket counts sorted by
// upper bound (the last bound must be +Inf). Linear interpolation inside the bucket; a rank
// in the +Inf bucket answers the highest finite bound. Counts are made monotonic first
// because instances with different bucket layouts are summed. Mutates `cumulative`.
export function histogramQuantile(q: number, bounds: ArrayLike<number>, cumulative: Float64Array, n: number): number {
  if (n < 2 || bounds[n - 1] !== Infinity) return Number.NaN;
  for (let i = 1; i < n; i++) if (cumulative[i]! < cumulative[i - 1]!) cumulative[i] = cumulative[i - 1]!;
  const total = cumulative[n - 1]!;
  if (!(total > 0)) return Number.NaN;
  const rank = q * total;
  let b = 0;
  while (b < n - 1 && cumulative[b]! < rank) b++;
  if (b === n - 1) return bounds[n - 2]!;
  const upper = bounds[b]!;
  if (b === 0 && upper <= 0) return upper;
  const lower = b === 0 ? 0 : bounds[b - 1]!;
  const below = b === 0 ? 0 : cumulative[b - 1]!;
  const inBucket = cumulative[b]! - below;
  return inBucket > 0 ? lower + ((upper - lower) * (rank - below)) / inBucket : upper;
}
