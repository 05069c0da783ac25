import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyResponse, parseRetryAfter } from './http-delivery.client.js';
import { backoffMs, retryAfterDelayMs } from './retry-policy.js';

describe('delivery classification and retry timing', () => {
  it('retries 429, 408 and 5xx; treats other 4xx as permanent with the receiver error', () => {
    assert.equal(classifyResponse(200, 'ok', null, 0).kind, 'delivered');
    assert.deepEqual(classifyResponse(429, 'rate_limited', '7', 0), { kind: 'retry', httpStatus: 429, error: 'rate_limited', retryAfterMs: 7000 });
    assert.equal(classifyResponse(503, '', null, 0).kind, 'retry');
    assert.equal(classifyResponse(408, '', null, 0).kind, 'retry');
    assert.deepEqual(classifyResponse(400, 'invalid_blocks\n', null, 0), { kind: 'permanent', httpStatus: 400, error: 'invalid_blocks' });
    assert.deepEqual(classifyResponse(404, '', null, 0), { kind: 'permanent', httpStatus: 404, error: 'http_404' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-12-11T22:00:00Z');
    assert.equal(parseRetryAfter('30', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 11 Dec 2024 22:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(null, now), null);
  });

  it('backs off exponentially with jitter, capped, and never retries before Retry-After', () => {
    const s = { retryBaseMs: 1000, retryMaxMs: 60_000 };
    assert.equal(backoffMs(1, s, () => 0), 500);
    assert.equal(backoffMs(1, s, () => 1), 1000);
    assert.equal(backoffMs(4, s, () => 0), 4000);
    assert.equal(backoffMs(30, s, () => 1), 60_000);
    assert.equal(retryAfterDelayMs(2000, () => 0), 2000);
    assert.ok(retryAfterDelayMs(2000, () => 1) > 2000);
  });
});
