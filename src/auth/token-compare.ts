import { createHash, timingSafeEqual } from 'node:crypto';

// Tokens are compared as SHA-256 digests: equal-length buffers for timingSafeEqual, so the
// time taken says nothing about how many leading bytes matched, nor about the secret's length.

export const tokenDigest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export const sameDigest = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

export const tokensEqual = (presented: string, secret: string): boolean => sameDigest(tokenDigest(presented), tokenDigest(secret));
