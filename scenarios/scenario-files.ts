import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Locates the bundled scenario files from source, dist/ or any build folder alike.

let cached: string | undefined;

export function scenarioFilesDir(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scenarios', 'files');
    if (existsSync(join(candidate, 'smoke.yaml'))) return (cached = candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find scenarios/files above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** A path as given, or a bundled scenario by name ("incident-2024-12-11"). */
export function scenarioPath(nameOrPath: string): string {
  if (existsSync(nameOrPath)) return nameOrPath;
  const bundled = join(scenarioFilesDir(), nameOrPath.endsWith('.yaml') ? nameOrPath : `${nameOrPath}.yaml`);
  return existsSync(bundled) ? bundled : nameOrPath;
}
