import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assumedPowerLaw, fitPowerLaw, predictEffect } from './power-law-fit.js';
import { seededRandom } from './testing/synthetic-fleet.js';

describe('power-law fit', () => {
  it('recovers the exponent and coefficient of noise-free data', () => {
    const points = [50, 120, 300, 700].map((n, i) => ({ cluster: `c${i}`, nodes: n, effect: 0.0003 * n ** 2 }));
    const fit = fitPowerLaw(points)!;
    assert.ok(Math.abs(fit.exponent - 2) < 1e-9);
    assert.ok(Math.abs(fit.coefficient - 0.0003) < 1e-12);
    assert.ok(fit.exponentStdError! < 1e-6);
    assert.deepEqual(fit.clustersUsed, ['c0', 'c1', 'c2', 'c3']);
    assert.ok(Math.abs(predictEffect(fit, 2000) - 1200) < 1e-6);
  });

  it('recovers an exponent of 1.5 through 10 % noise, with a standard error that covers it', () => {
    const random = seededRandom(3);
    const points = Array.from({ length: 12 }, (_, i) => {
      const n = 50 + 60 * i;
      return { cluster: `c${i}`, nodes: n, effect: 0.01 * n ** 1.5 * (1 + 0.1 * (2 * random() - 1)) };
    });
    const fit = fitPowerLaw(points)!;
    assert.ok(Math.abs(fit.exponent - 1.5) < 0.1, `exponent ${fit.exponent}`);
    assert.ok(fit.exponentStdError! > 0 && Math.abs(fit.exponent - 1.5) < 3 * fit.exponentStdError!);
  });

  it('has no standard error from two points and no fit from one or from equal sizes', () => {
    assert.equal(fitPowerLaw([{ cluster: 'a', nodes: 100, effect: 1 }, { cluster: 'b', nodes: 200, effect: 4 }])!.exponentStdError, null);
    assert.equal(fitPowerLaw([{ cluster: 'a', nodes: 100, effect: 1 }]), undefined);
    assert.equal(fitPowerLaw([{ cluster: 'a', nodes: 100, effect: 1 }, { cluster: 'b', nodes: 100, effect: 2 }]), undefined);
  });

  it('assumes the exponent and scales to the largest effect when evidence is thin', () => {
    const fit = assumedPowerLaw([{ cluster: 'a', nodes: 100, effect: 3 }, { cluster: 'b', nodes: 110, effect: 2 }], 2)!;
    assert.equal(fit.assumed, true);
    assert.equal(fit.exponent, 2);
    assert.equal(fit.coefficient, 3 / 100 ** 2);
  });
});
