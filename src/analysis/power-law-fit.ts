// effect = a · nodes^b by least squares in log-log. The incident's cost grew with nodes²,
// so a linear fit would under-predict the largest clusters.
import type { PowerLawFit } from './analysis.types.js';

export interface SizedEffect {
  readonly cluster: string;
  readonly nodes: number;
  readonly effect: number;
}

export function fitPowerLaw(points: readonly SizedEffect[]): PowerLawFit | undefined {
  const usable = points.filter((p) => p.nodes > 0 && p.effect > 0);
  if (usable.length < 2) return undefined;
  const xs = usable.map((p) => Math.log(p.nodes));
  const ys = usable.map((p) => Math.log(p.effect));
  const n = usable.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return undefined;
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (ys[i]! - intercept - exponent * xs[i]!) ** 2;
  const exponentStdError = n > 2 ? Math.sqrt(ssr / (n - 2) / sxx) : null;
  return {
    coefficient: Math.exp(intercept),
    exponent,
    exponentStdError,
    clustersUsed: usable.map((p) => p.cluster).sort(),
    assumed: false,
  };
}

/** too little evidence: keep a conservative exponent and scale it to the effects seen */
export function assumedPowerLaw(points: readonly SizedEffect[], exponent: number): PowerLawFit | undefined {
  const usable = points.filter((p) => p.nodes > 0 && p.effect > 0);
  if (usable.length === 0) return undefined;
  const scales = usable.map((p) => p.effect / p.nodes ** exponent).sort((a, b) => a - b);
  return {
    coefficient: scales[scales.length - 1]!,
    exponent,
    exponentStdError: null,
    clustersUsed: usable.map((p) => p.cluster).sort(),
    assumed: true,
  };
}

export function predictEffect(fit: PowerLawFit, nodes: number): number {
  return fit.coefficient * nodes ** Math.max(0, fit.exponent);
}

/** an effect too small to measure, bounded by its detection limit: the tightest bound wins */
export function boundedPowerLaw(limits: readonly SizedEffect[], exponent: number): PowerLawFit | undefined {
  const usable = limits.filter((p) => p.nodes > 0 && p.effect > 0);
  if (usable.length === 0) return undefined;
  const scales = usable.map((p) => ({ cluster: p.cluster, scale: p.effect / p.nodes ** exponent }));
  const tightest = scales.sort((a, b) => a.scale - b.scale || a.cluster.localeCompare(b.cluster))[0]!;
  return { coefficient: tightest.scale, exponent, exponentStdError: null, clustersUsed: [tightest.cluster], assumed: true };
}
