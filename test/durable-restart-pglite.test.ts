import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startWavewatch } from '../bench/wavewatch-process.js';
import { compareRestart } from './support/restart-comparison.js';

describe('kill -9 mid-incident and restart on the same PGlite folder', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('alerts and gate answers equal an uninterrupted run', async () => {
    // one migrated database, copied for each run: creating a PGlite folder is the slow part
    const template = mkdtempSync(join(tmpdir(), 'ww-durable-'));
    dirs.push(template);
    await (await startWavewatch({ WAVEWATCH_DATA_DIR: template })).stop();
    await compareRestart(() => {
      const dir = mkdtempSync(join(tmpdir(), 'ww-durable-'));
      dirs.push(dir);
      cpSync(template, dir, { recursive: true });
      return Promise.resolve({ env: { WAVEWATCH_DATA_DIR: dir, LOG_LEVEL: 'log' }, drop: () => Promise.resolve() });
    });
  });
});
