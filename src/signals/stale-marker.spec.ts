import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStaleMarker, STALE_NAN } from './stale-marker.js';

describe('stale marker', () => {
  it('recognises the Prometheus bit pattern, not an ordinary NaN', () => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, 0x7ff0000000000002n);
    assert.equal(isStaleMarker(view.getFloat64(0)), true);
    assert.equal(isStaleMarker(STALE_NAN), true);
    assert.equal(isStaleMarker({ value: STALE_NAN }.value), true);
    assert.equal(isStaleMarker(Number.NaN), false);
    assert.equal(isStaleMarker(0), false);
  });
});
