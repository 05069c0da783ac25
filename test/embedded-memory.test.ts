import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startWavewatch } from '../bench/wavewatch-process.js';

// Embedded PGlite once cost 810 MB resident at idle (PostgreSQL's server defaults, V8's
// optimizing compiler on its Wasm, initdb's garbage left uncollected); sized, it measures
// 200-230 MB (README "Embedded database memory"). The bound has margin: it catches a setting
// lost, not a few MB.
const BOUND = 300 * 2 ** 20;

describe('embedded PGlite memory', () => {
  it(`keeps an idle in-memory start under ${BOUND / 2 ** 20} MiB resident`, async (t) => {
    const app = await startWavewatch();
    try {
      // initdb's garbage is collected 2 s and 10 s after the database starts
      await new Promise((r) => setTimeout(r, 12_000));
      const text = await (await fetch(`${app.url}/metrics`)).text();
      const rss = Number(/^process_resident_memory_bytes (\S+)/m.exec(text)?.[1]);
      assert.ok(rss > 0, 'process_resident_memory_bytes on /metrics');
      t.diagnostic(`idle resident memory ${Math.round(rss / 2 ** 20)} MiB`);
      assert.ok(
        rss < BOUND,
        `idle resident memory ${Math.round(rss / 2 ** 20)} MiB, bound ${BOUND / 2 ** 20} MiB`,
      );
    } finally {
      await app.stop();
    }
  });
});
