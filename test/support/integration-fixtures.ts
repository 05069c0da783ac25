import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

// Fixtures under test/fixtures/integrations (each names its source) and the shipped deploy/
// files, read from the repository whether the test runs from src or dist.
const repoRoot = new URL('../../', import.meta.url).pathname.replace(/\/dist\/$/, '/');

export function fixture<T>(name: string, rolloutId = 'ROLLOUT'): T {
  const text = readFileSync(`${repoRoot}test/fixtures/integrations/${name}`, 'utf8');
  return JSON.parse(text.replaceAll('"ROLLOUT"', JSON.stringify(rolloutId))) as T;
}

export function shipped(path: string): string {
  return readFileSync(`${repoRoot}${path}`, 'utf8');
}

export function shippedYaml<T>(path: string): T {
  return parseYaml(shipped(path)) as T;
}

/** One webhook template of a shipped notifications ConfigMap (argo-cd / argo-rollouts). */
export function notificationTemplate(cmPath: string, name: string): { body: string; method: string } {
  const cm = shippedYaml<{ data: Record<string, string> }>(cmPath);
  const text = cm.data[`template.${name}`];
  if (text === undefined) throw new Error(`${cmPath} has no template.${name}`);
  const webhook = (parseYaml(text) as { webhook: { wavewatch: { body: string; method?: string } } }).webhook.wavewatch;
  // notifications-engine: the method defaults to GET
  return { body: webhook.body, method: webhook.method ?? 'GET' };
}
