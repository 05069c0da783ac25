// Where a rollout's page lives: absolute under notify.externalUrl when set (Slack and
// Alertmanager need that), else a path relative to wavewatch itself.
export function rolloutPagePath(rolloutId: string): string {
  return `/rollouts/${encodeURIComponent(rolloutId)}`;
}

export function rolloutPageUrl(rolloutId: string, externalUrl: string | undefined): string {
  if (!externalUrl) return rolloutPagePath(rolloutId);
  const base = externalUrl.endsWith('/') ? externalUrl : `${externalUrl}/`;
  return new URL(rolloutPagePath(rolloutId).slice(1), base).toString();
}
