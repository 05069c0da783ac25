import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, type RunningApp } from './support/start-app.js';

describe('service start-up', () => {
  let running: RunningApp;
  before(async () => {
    running = await startApp();
  });
  after(async () => {
    await running.close();
  });

  it('serves its own metrics from an injected registry', async () => {
    const res = await fetch(`${running.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    // prom-client's default process metrics: memory, event-loop lag, garbage collection
    for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      assert.match(text, new RegExp(`^${name} [0-9]`, 'm'), name);
    }
    assert.match(text, /^# TYPE nodejs_gc_duration_seconds histogram/m);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${running.url}/api/v1/nope`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: string };
    assert.equal(body.error, 'not_found');
  });
});
