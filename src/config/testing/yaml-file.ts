import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `text` to a wavewatch.yaml of its own in a fresh temporary folder and returns its path (config specs). */
export function yamlFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ww-config-')), 'wavewatch.yaml');
  writeFileSync(path, text);
  return path;
}
