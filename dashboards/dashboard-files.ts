import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fleetOverviewDashboard } from './fleet-overview.dashboard.js';
import { rolloutHealthDashboard } from './rollout-health.dashboard.js';

// The generated JSON lives in the source tree (dashboards/generated) whether this runs from
// dist/ or a per-developer build folder, so walk up to the folder that has provisioning/.
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'dashboards', 'provisioning'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find dashboards/provisioning above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function generatedDir(): string {
  return join(repoRoot(), 'dashboards', 'generated');
}

export interface DashboardFile {
  file: string;
  json: string;
}

export function renderDashboards(): DashboardFile[] {
  return [
    { file: 'rollout-health.json', json: JSON.stringify(rolloutHealthDashboard(), null, 2) + '\n' },
    { file: 'fleet-overview.json', json: JSON.stringify(fleetOverviewDashboard(), null, 2) + '\n' },
  ];
}
