import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDir, renderDashboards } from './dashboard-files.js';

// npm run dashboards: writes dashboards/generated/*.json, which Grafana provisions and git keeps.
const dir = generatedDir();
mkdirSync(dir, { recursive: true });
for (const { file, json } of renderDashboards()) {
  writeFileSync(join(dir, file), json);
  process.stdout.write(`wrote ${join(dir, file)}\n`);
}
