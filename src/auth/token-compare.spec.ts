import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiTokens } from './api-tokens.js';
import { sameDigest, tokenDigest, tokensEqual } from './token-compare.js';

describe('token comparison', () => {
  it('is true only for equal tokens, whatever their lengths', () => {
    assert.equal(tokensEqual('s3cret-token-0123456789', 's3cret-token-0123456789'), true);
    assert.equal(tokensEqual('s3cret-token-0123456789', 's3cret-token-0123456788'), false);
    assert.equal(tokensEqual('s3cret-token-0123456789', 's3cret-token-012345678'), false);
    assert.equal(tokensEqual('s3cret-token-0123456789', 's3cret-token-0123456789-and-more'), false);
    assert.equal(tokensEqual('', 's3cret-token-0123456789'), false);
    assert.equal(tokensEqual('', ''), true);
  });

  it('compares fixed-length digests, so timingSafeEqual never sees unequal lengths', () => {
    assert.equal(tokenDigest('a').length, 32);
    assert.equal(tokenDigest('a'.repeat(10_000)).length, 32);
    assert.equal(sameDigest(tokenDigest('a'), tokenDigest('a').subarray(0, 16)), false);
  });

  it('identifies a presented token among several, and nothing for prefixes or extensions', () => {
    const tokens = new ApiTokens([
      { name: 'one', secret: 'first-token-0123456789', scopes: ['read'] },
      { name: 'two', secret: 'second-token-0123456789', scopes: ['admin'] },
    ]);
    assert.equal(tokens.identify('second-token-0123456789')?.name, 'two');
    assert.equal(tokens.identify('first-token-0123456789')?.name, 'one');
    assert.equal(tokens.identify('first-token-012345678'), undefined);
    assert.equal(tokens.identify('first-token-01234567890'), undefined);
    assert.equal(tokens.identify(''), undefined);
  });
});
