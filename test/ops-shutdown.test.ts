import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { createTestDatabase } from './support/test-config.js';

const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
const healthcheck = fileURLToPath(new URL('../src/bin/healthcheck.js', import.meta.url));

// A fresh database per run: the event has no eventId, so its id is derived from its content
// and would be a duplicate of an earlier run's in a shared database.
function startService(databaseUrl: string | undefined): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', REDIS_URL: '', WAVEWATCH_DATA_DIR: '', DATABASE_URL: databaseUrl ?? '' };
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = out.match(/listening on (http:\/\/\S+?)"/)?.[1];
      if (url) resolve({ child, url: url.replace('[::1]', '127.0.0.1') });
    });
    child.once('exit', (code) => reject(new Error(`service exited early with ${code}: ${out}`)));
  });
}

const exitOf = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

async function runHealthcheck(url: string): Promise<number | null> {
  const child = spawn(process.execPath, [healthcheck, `${url}/readyz`], { stdio: 'ignore' });
  return (await exitOf(child)).code;
}

describe('process lifecycle', () => {
  it('finishes an in-flight request on SIGTERM, then exits; the healthcheck binary follows readiness', { timeout: 180_000 }, async () => {
    const db = await createTestDatabase();
    const { child, url } = await startService(db.url);
    const exited = exitOf(child);
    assert.equal(await runHealthcheck(url), 0);

    // a POST whose body is still arriving when SIGTERM comes
    const body = JSON.stringify({ type: 'wave_started', rolloutId: 'inflight', wave: 'w1', clusters: ['a'] });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${url}/api/v1/deploy-events`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      // give the server the headers, then stop it and send the rest
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 500);
    });
    const r = await response;
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(JSON.parse(r.text), { accepted: 1, duplicates: 0, rollouts: ['inflight'] });
    const { code, signal } = await exited;
    assert.ok(code === 0 || signal === 'SIGTERM', `exit code ${code}, signal ${signal}`);
    assert.equal(await runHealthcheck(url), 1);
    await db.drop();
  });
});
