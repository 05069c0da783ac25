// CoreDNS cache model: once the backend of a class of names fails, cached entries keep
// answering (served stale) until they age out over the cache lifetime; then misses, which
// fail, reach clients. Visible SERVFAIL ≈ failRatio × (1 − hitRatio).

/** share of cached entries still usable `ageSeconds` after their backend failed */
export function remainingEntries(ageSeconds: number, lifetimeSeconds: number, exponent: number): number {
  if (ageSeconds <= 0) return 1;
  return Math.max(0, 1 - (ageSeconds / lifetimeSeconds) ** exponent);
}

/** ramp of the miss failure ratio from the first failing scrape to its maximum */
export function missFailureRatio(ageSeconds: number, intervalSeconds: number, rampSeconds: number, max: number): number {
  if (ageSeconds < 0) return 0;
  return max * Math.min(1, (ageSeconds + intervalSeconds) / Math.max(rampSeconds, intervalSeconds));
}

/** share of cache hits that are served stale (record TTLs are short: ~30 s) */
export function staleShare(ageSeconds: number, recordTtlSeconds = 30): number {
  return ageSeconds < 0 ? 0 : Math.min(1, ageSeconds / recordTtlSeconds);
}
