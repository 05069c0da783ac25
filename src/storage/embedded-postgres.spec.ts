import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { yamlFile } from '../config/testing/yaml-file.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { serverParams } from './embedded-postgres.js';

describe('storage.embedded sizes', () => {
  it('defaults to a sidecar, not a database server', () => {
    const sizes = loadConfig({}).storage.embedded;
    assert.deepEqual(sizes, { sharedBuffersMb: 8, workMemMb: 2, maintenanceWorkMemMb: 16, maxWalSizeMb: 32, vacuumIntervalSeconds: 300, optimizeWasm: false });
  });

  it('passes them to postgres, min_wal_size only when the WAL is memory', () => {
    const sizes = loadConfig({}).storage.embedded;
    const inMemory = serverParams(sizes, true).join(' ');
    assert.match(inMemory, /-c shared_buffers=8MB/);
    assert.match(inMemory, /-c max_wal_size=32MB/);
    assert.match(inMemory, /-c min_wal_size=2MB/);
    // a data dir may hold 16 MB segments, where PostgreSQL refuses a min_wal_size below 32 MB
    assert.doesNotMatch(serverParams(sizes, false).join(' '), /min_wal_size/);
  });

  for (const [key, value] of [['sharedBuffersMb', 0], ['sharedBuffersMb', 4096], ['maxWalSizeMb', 16], ['workMemMb', 1.5], ['vacuumIntervalSeconds', 1]] as const) {
    it(`refuses ${key}: ${value} at start with the key named`, () => {
      const path = yamlFile(`storage:\n  embedded:\n    ${key}: ${value}\n`);
      assert.throws(() => loadConfig({ WAVEWATCH_CONFIG: path }), (e: unknown) => e instanceof ConfigError && e.message.includes(`storage.embedded.${key}`));
    });
  }
});
