import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, resolveScenario, ScenarioError, scenarioFilesDir, scenarioPath } from '../scenarios/index.js';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

function errorOf(doc: unknown): string {
  try {
    resolveScenario(doc);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected ScenarioError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the scenario to be rejected');
}

const collapseScenario = parseYaml(readFileSync(scenarioPath('collapse-small'), 'utf8')) as Record<string, unknown> & { rollout: Record<string, unknown> };

describe('scenario files', () => {
  it('every bundled scenario file is valid', () => {
    const files = readdirSync(scenarioFilesDir()).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 7);
    for (const f of files) assert.doesNotThrow(() => loadScenario(join(scenarioFilesDir(), f)), f);
  });

  it('names the key of a bad duration', () => {
    assert.match(errorOf({ ...collapseScenario, scrapeInterval: '15 parsecs' }), /^scrapeInterval: not a duration/m);
  });

  it('names the key of an unknown cluster in a wave', () => {
    const doc = { ...collapseScenario, rollout: { ...collapseScenario.rollout, waves: [{ name: 'w1', clusters: ['nope'], start: '1m' }] } };
    assert.match(errorOf(doc), /^rollout\.waves\[0\]\.clusters: unknown cluster or group "nope"/m);
  });

  it('names the key of a missing or invalid field', () => {
    assert.match(errorOf({ ...collapseScenario, fleet: undefined }), /^fleet: /m);
    assert.match(errorOf({ ...collapseScenario, fleet: [{ name: 'x', nodes: -3 }] }), /^fleet\[0\]\.nodes: /m);
    assert.match(errorOf({ ...collapseScenario, fleet: [{ nodes: 30 }] }), /^fleet\[0\]\.name: .*group and count/m);
    assert.match(errorOf({ ...collapseScenario, incidents: [{ kind: 'meteor', clusters: 'all' }] }), /^incidents\[0\]\.kind: /m);
  });

  it('reports every problem at once, one line each', () => {
    const lines = errorOf({ ...collapseScenario, start: 'yesterday', seed: -1 }).split('\n');
    assert.ok(lines.some((l) => l.startsWith('start: ')));
    assert.ok(lines.some((l) => l.startsWith('seed: ')));
  });

  it('rejects an unreadable file and invalid YAML with the path in the message', () => {
    assert.throws(() => loadScenario('/nonexistent/x.yaml'), (e: unknown) => e instanceof ScenarioError && e.message.includes('/nonexistent/x.yaml'));
  });
});
