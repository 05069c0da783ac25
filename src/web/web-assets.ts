import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The page's own files sit in src/web/assets (plain browser JS and CSS: no front-end build
// step). tsc does not copy them, so they are found by walking up from this module to the
// folder that holds src/web/assets — the repo from dist/src/web, /app in the image (the
// Dockerfile copies the folder). uPlot's dist files come from node_modules.

const ASSETS = 'src/web/assets';

function ownAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, ASSETS))) return join(dir, ASSETS);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${ASSETS} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function uplotDist(): string {
  return dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
}

export const ASSET_TYPES: Record<string, string> = {
  'rollout-page.js': 'text/javascript; charset=utf-8',
  'rollout-page.css': 'text/css; charset=utf-8',
  'uPlot.iife.min.js': 'text/javascript; charset=utf-8',
  'uPlot.min.css': 'text/css; charset=utf-8',
};

const cache = new Map<string, string>();

/** Contents of one allowed asset; undefined for any other name. */
export function readAsset(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  if (!Object.hasOwn(ASSET_TYPES, name)) throw new Error(`unknown asset ${name}`);
  const dir = name.startsWith('uPlot') ? uplotDist() : ownAssetsDir();
  const text = readFileSync(join(dir, name), 'utf8');
  cache.set(name, text);
  return text;
}
