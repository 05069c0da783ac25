// Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7), for histogram buckets
// of log-normally distributed latencies.
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const SIGMA = 0.6;

/** P(latency <= le) for a log-normal latency with the given mean (s); takes ln(le) for speed. */
export function latencyShareBelow(logLe: number, meanSeconds: number): number {
  if (meanSeconds <= 0) return 1;
  const logMedian = Math.log(meanSeconds) - (SIGMA * SIGMA) / 2;
  return normalCdf((logLe - logMedian) / SIGMA);
}
