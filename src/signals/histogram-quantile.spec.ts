import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogramQuantile } from './histogram-quantile.js';

describe('histogramQuantile', () => {
  const bounds = [0.1, 0.5, 1, Infinity];

  it('interpolates inside the bucket holding the rank', () => {
    // 1000 observations: 900 ≤ 0.1, 80 in (0.1, 0.5], 20 in (0.5, 1]; rank 990 is 10 of 20 into (0.5, 1]
    assert.equal(histogramQuantile(0.99, bounds, Float64Array.from([900, 980, 1000, 1000]), 4), 0.75);
    // rank 500 in the first bucket: 0 + 0.1 × 500/900
    assert.ok(Math.abs(histogramQuantile(0.5, bounds, Float64Array.from([900, 980, 1000, 1000]), 4) - 0.1 * (500 / 900)) < 1e-12);
  });

  it('answers the highest finite bound for a rank in +Inf, NaN without data or +Inf', () => {
    assert.equal(histogramQuantile(0.99, bounds, Float64Array.from([0, 0, 0, 10]), 4), 1);
    assert.ok(Number.isNaN(histogramQuantile(0.99, bounds, Float64Array.from([0, 0, 0, 0]), 4)));
    assert.ok(Number.isNaN(histogramQuantile(0.99, [0.1, 0.5], Float64Array.from([1, 2]), 2)));
  });

  it('repairs non-monotonic sums of differently bucketed instances', () => {
    // as [10, 10, 20, 20]: rank 12 is 2 of 10 into (0.5, 1]
    assert.ok(Math.abs(histogramQuantile(0.6, bounds, Float64Array.from([10, 5, 20, 20]), 4) - 0.6) < 1e-12);
  });
});
