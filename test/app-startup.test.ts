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
    assert.match(await res.text(), /wavewatch_process_/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${running.url}/api/v1/nope`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: string };
    assert.equal(body.error, 'not_found');
  });
});
