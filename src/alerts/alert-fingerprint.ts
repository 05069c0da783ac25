import { createHash } from 'node:crypto';

// Stable across restarts and replays: the same condition on the same rollout and cluster
// always has the same fingerprint, so notifications deduplicate and Alertmanager groups.
export function alertFingerprint(name: string, rolloutId: string | null, scope: string | null): string {
  return createHash('sha256')
    .update(`${name}\u0000${rolloutId ?? ''}\u0000${scope ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}
