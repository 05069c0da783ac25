import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'node:http';
import { sign } from '@octokit/webhooks-methods';
import type { RolloutView } from '../src/rollouts/rollout-view.js';
import { getJson, postEvents } from './support/events-client.js';
import { renderGoTemplate } from './support/go-template.js';
import { fixture, notificationTemplate, shipped, shippedYaml } from './support/integration-fixtures.js';
import { argoMeasurement, flaggerSucceeds, runShell, spinnakerStatus } from './support/tool-judges.js';
import { prepareVerdicts, type VerdictApps, type VerdictRollout } from './support/verdict-rollouts.js';

// Every shipped recipe (deploy/ and the README) against the running service, sending each
// tool's real request shape and judging the answer the way that tool does.
const SECRET = 'recipe-webhook-secret';
const VERDICTS = ['proceed', 'hold', 'rollback'] as const;
const SERVICE = 'http://wavewatch.wavewatch.svc:8080';

function configFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ww-recipes-')), 'wavewatch.yaml');
  writeFileSync(path, `integrations:\n  github:\n    secret: ${SECRET}\n`);
  return path;
}

const rollout = async (url: string, id: string): Promise<RolloutView> => (await getJson<RolloutView>(`${url}/api/v1/rollouts/${encodeURIComponent(id)}`)).body;
const waveOf = (r: RolloutView, wave: string) => r.waves.find((w) => w.wave === wave);

describe('deploy-tool recipes against the running service', () => {
  let v: VerdictApps;
  let url: string;
  before(async () => {
    v = await prepareVerdicts({ WAVEWATCH_CONFIG: configFile() });
    url = v.app.url;
  });
  after(async () => {
    await v?.close();
  });

  describe('Argo Rollouts AnalysisTemplate (deploy/argo-rollouts/analysis-template.yaml)', () => {
    type Metric = {
      failureLimit: number;
      inconclusiveLimit: number;
      consecutiveSuccessLimit: number;
      successCondition: string;
      failureCondition: string;
      provider: { web: { url: string; jsonPath: string } };
    };
    const metric = (): Metric => shippedYaml<{ spec: { metrics: Metric[] } }>('deploy/argo-rollouts/analysis-template.yaml').spec.metrics[0]!;

    it('measures proceed as Successful, hold as Inconclusive (pauses, never an Error), rollback as Failed', async () => {
      const m = metric();
      assert.equal(m.failureLimit, 0);
      assert.ok(m.inconclusiveLimit >= 10, 'a long hold must not end the analysis');
      assert.ok(m.consecutiveSuccessLimit >= 2);
      const want = { proceed: 'Successful', hold: 'Inconclusive', rollback: 'Failed' };
      for (const verdict of VERDICTS) {
        const r: VerdictRollout = v[verdict];
        const res = await fetch(m.provider.web.url.replace(SERVICE, r.url).replace('{{args.rollout-id}}', r.rolloutId));
        assert.equal(argoMeasurement(res.status, await res.json(), m.provider.web.jsonPath, m.successCondition, m.failureCondition), want[verdict], verdict);
      }
    });
  });

  describe('Flagger Canary webhooks (deploy/flagger/canary.yaml)', () => {
    type Hook = { name: string; type: string; url: string; metadata: Record<string, string> };
    const hooks = (): Hook[] => shippedYaml<{ spec: { analysis: { webhooks: Hook[] } } }>('deploy/flagger/canary.yaml').spec.analysis.webhooks;
    const f = fixture<Record<'confirm' | 'rollback' | 'event', { headers: Record<string, string>; body: { metadata: Record<string, string> } }>>('flagger-webhooks.json');
    const call = (hook: Hook, base: string, body: unknown) => fetch(hook.url.replace(SERVICE, base), { method: 'POST', headers: f.confirm.headers, body: JSON.stringify(body) });

    it('confirm hooks succeed (<= 202) only on proceed; the rollback hook only on rollback', async () => {
      for (const hook of hooks().filter((h) => h.type !== 'event')) {
        for (const verdict of VERDICTS) {
          const r = v[verdict];
          const body = { ...f.confirm.body, metadata: { ...hook.metadata, rolloutId: r.rolloutId } };
          const res = await call(hook, r.url, body);
          await res.arrayBuffer();
          const expected = hook.type === 'rollback' ? verdict === 'rollback' : verdict === 'proceed';
          assert.equal(flaggerSucceeds(res.status), expected, `${hook.type} on ${verdict}: ${res.status}`);
        }
      }
    });

    it('the event hook reports this cluster: Progressing → in_progress, Succeeded → completed, Failed → a deploy_failed hold', async () => {
      const hook = hooks().find((h) => h.type === 'event')!;
      const send = async (phase: string, id: string) => {
        const res = await call(hook, url, { ...f.event.body, phase, metadata: { ...f.event.body.metadata, ...hook.metadata, rolloutId: id } });
        assert.ok(flaggerSucceeds(res.status), `${phase}: ${res.status} ${await res.text()}`);
      };
      await send('Progressing', 'flagger-ok');
      assert.deepEqual(waveOf(await rollout(url, 'flagger-ok'), 'wave-1')?.clusterStatus, { 'prod-a': 'in_progress' });
      await send('Succeeded', 'flagger-ok');
      assert.equal(waveOf(await rollout(url, 'flagger-ok'), 'wave-1')?.status, 'completed');
      await send('Progressing', 'flagger-bad');
      await send('Failed', 'flagger-bad');
      const health = (await getJson<{ verdict: string; reasons: { code: string; cluster: string }[] }>(`${url}/api/v1/rollouts/flagger-bad/health`)).body;
      assert.equal(health.verdict, 'hold');
      assert.ok(health.reasons.some((r) => r.code === 'deploy_failed' && r.cluster === 'prod-a'));
    });
  });

  describe('Argo CD: notifications, ApplicationSet RollingSync and the PreSync gate Job (deploy/argo/)', () => {
    const cm = 'deploy/argo/argocd-notifications-cm.yaml';
    const app = fixture<{ app: { metadata: { labels: Record<string, string> } } }>('argocd-application.json', 'argo-cd-flow');
    const service = () => shippedYaml<{ data: Record<string, string> }>(cm).data['service.webhook.wavewatch']!;

    it('every trigger the ConfigMap defines sends a template the service accepts, once per revision', async () => {
      const data = shippedYaml<{ data: Record<string, string> }>(cm).data;
      for (const trigger of ['on-sync-running', 'on-deployed', 'on-sync-failed']) assert.ok(data[`trigger.${trigger}`], `trigger.${trigger}`);
      assert.match(service(), /url: http:\/\/wavewatch\.wavewatch\.svc:8080\/api\/v1\/integrations\/argo/);
      await postEvents(url, { type: 'rollout_started', rolloutId: 'argo-cd-flow', plan: [{ wave: 'wave-1', clusters: ['prod-a', 'prod-x'] }], at: '2025-01-01T00:02:00Z' });
      for (const template of ['wavewatch-sync-running', 'wavewatch-deployed', 'wavewatch-deployed']) {
        const t = notificationTemplate(cm, template);
        const res = await fetch(`${url}/api/v1/integrations/argo`, { method: t.method, headers: { 'Content-Type': 'application/json' }, body: renderGoTemplate(t.body, app) });
        assert.equal(res.status, 202, await res.text());
      }
      const r = await rollout(url, 'argo-cd-flow');
      assert.deepEqual(waveOf(r, 'wave-1')?.clusterStatus, { 'prod-a': 'completed', 'prod-x': 'pending' });
      assert.equal(waveOf(r, 'wave-1')?.status, 'in_progress', 'one Application of two does not complete the wave');
    });

    it('accepts the notifications-engine default request too: GET, no Content-Type', async () => {
      const other = { app: { ...app.app, metadata: { ...app.app.metadata, labels: { ...app.app.metadata.labels, 'wavewatch.io/cluster': 'prod-x' } } } };
      const body = renderGoTemplate(notificationTemplate(cm, 'wavewatch-deployed').body, other);
      const res = await rawRequest(`${url}/api/v1/integrations/argo`, 'GET', body);
      assert.equal(res.status, 202, res.body);
      assert.equal(waveOf(await rollout(url, 'argo-cd-flow'), 'wave-1')?.status, 'completed');
    });

    it('the ApplicationSet labels what the adapter reads, and its PreSync Job gates on the same rollout', () => {
      type AppSet = { spec: { strategy: { type: string }; template: { metadata: { labels: Record<string, string> } } } };
      const set = shippedYaml<AppSet>('deploy/argo/applicationset-rollingsync.yaml');
      assert.equal(set.spec.strategy.type, 'RollingSync');
      const labels = set.spec.template.metadata.labels;
      for (const key of ['wavewatch.io/rollout', 'wavewatch.io/wave', 'wavewatch.io/cluster']) assert.ok(labels[key], key);
      const job = presyncJob();
      assert.equal(job.metadata.annotations['argocd.argoproj.io/hook'], 'PreSync');
      assert.equal(job.spec.template.spec.containers[0]!.env.find((e) => e.name === 'ROLLOUT_ID')?.value, labels['wavewatch.io/rollout']);
    });

    it('the PreSync Job (real curl --fail --retry on /gate?wait=true) passes on proceed and fails on rollback and on a hold it stops waiting for', async () => {
      const script = presyncJob().spec.template.spec.containers[0]!.command[2]!;
      const run = (r: VerdictRollout, retries: string) => runShell(script, { WAVEWATCH_URL: r.url, ROLLOUT_ID: r.rolloutId, WAVEWATCH_TOKEN: '', GATE_RETRIES: retries });
      assert.equal((await run(v.proceed, '3')).code, 0);
      const rollback = await run(v.rollback, '3');
      assert.equal(rollback.code, 22, 'curl --fail exits 22 on 409');
      assert.doesNotMatch(rollback.stderr, /Will retry/, 'a rollback is final: 409 is not retried');
      const hold = await run(v.hold, '0');
      assert.equal(hold.code, 22);
      assert.match(hold.stderr, /503/);
    });

    it('a hold answers 503 with Retry-After, which curl --retry waits out', async () => {
      const res = await fetch(`${v.hold.url}/api/v1/rollouts/${v.hold.rolloutId}/gate?wait=true`);
      assert.equal(res.status, 503);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    });
  });

  describe('Argo Rollouts notifications (deploy/argo/argo-rollouts-notification-cm.yaml)', () => {
    it('step-completed, completed and aborted reach the service as this cluster\'s progress', async () => {
      const cm = 'deploy/argo/argo-rollouts-notification-cm.yaml';
      const f = fixture<{ rollout: Record<string, unknown>; context: Record<string, unknown> }>('argo-rollout.json', 'argo-ro-flow');
      const context = (shippedYaml<{ data: { context: string } }>(cm).data.context.match(/cluster: (\S+)/) ?? [])[1];
      assert.ok(context, 'the ConfigMap sets context.cluster');
      const send = async (template: string) => {
        const t = notificationTemplate(cm, template);
        const res = await fetch(`${url}/api/v1/integrations/argo`, { method: t.method, headers: { 'Content-Type': 'application/json' }, body: renderGoTemplate(t.body, f) });
        assert.equal(res.status, 202, await res.text());
      };
      await send('wavewatch-rollout-step-completed');
      assert.equal(waveOf(await rollout(url, 'argo-ro-flow'), 'wave-2')?.clusterStatus['prod-b'], 'in_progress');
      await send('wavewatch-rollout-aborted');
      assert.equal(waveOf(await rollout(url, 'argo-ro-flow'), 'wave-2')?.clusterStatus['prod-b'], 'failed');
      await send('wavewatch-rollout-completed');
      assert.equal(waveOf(await rollout(url, 'argo-ro-flow'), 'wave-2')?.status, 'completed');
    });
  });

  describe('GitHub deployment webhooks and the workflow gate (deploy/github/deploy-wave.yml)', () => {
    const g = fixture<Record<'deployment' | 'deployment_status' | 'ping', { headers: Record<string, string>; body: unknown }>>('github-deliveries.json');
    const deliver = async (name: 'deployment' | 'deployment_status' | 'ping', form = false, secret = SECRET) => {
      const json = JSON.stringify(g[name].body);
      const raw = form ? `payload=${encodeURIComponent(json)}` : json;
      const headers = { ...g[name].headers, 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', 'x-hub-signature-256': await sign(secret, raw) };
      return fetch(`${url}/api/v1/integrations/github`, { method: 'POST', headers, body: raw });
    };

    it('verifies X-Hub-Signature-256 over the raw body: a wrong secret or no signature is 401 and changes nothing', async () => {
      const forged = await deliver('deployment', false, 'not-the-secret');
      assert.equal(forged.status, 401);
      assert.match(((await forged.json()) as { message: string }).message, /X-Hub-Signature-256/);
      const unsigned = await fetch(`${url}/api/v1/integrations/github`, { method: 'POST', headers: g.deployment.headers, body: JSON.stringify(g.deployment.body) });
      assert.equal(unsigned.status, 401);
      assert.equal((await fetch(`${url}/api/v1/rollouts/Hello-World-f95f852`)).status, 404);
    });

    it('answers ping, takes JSON and form bodies, and a replayed delivery is a duplicate', async () => {
      const ping = await deliver('ping');
      assert.ok(ping.status >= 200 && ping.status < 300);
      assert.deepEqual(await ping.json(), { ignored: 'ping' });
      const plan = [{ wave: 'production', clusters: ['gh-a', 'gh-b'] }];
      await postEvents(url, { type: 'rollout_started', rolloutId: 'Hello-World-f95f852', plan, at: '2019-05-15T15:20:00Z' });
      const created = await deliver('deployment', true);
      assert.equal(created.status, 202, await created.text());
      assert.equal(waveOf(await rollout(url, 'Hello-World-f95f852'), 'production')?.status, 'in_progress');
      const replay = await deliver('deployment');
      assert.deepEqual(await replay.json(), { accepted: 0, duplicates: 1, rollouts: ['Hello-World-f95f852'] });
      const success = await deliver('deployment_status');
      assert.equal(success.status, 202);
      const r = await rollout(url, 'Hello-World-f95f852');
      assert.deepEqual([waveOf(r, 'production')?.status, waveOf(r, 'production')?.clusterStatus], ['completed', { 'gh-a': 'completed', 'gh-b': 'completed' }]);
    });

    it('the workflow gate step (real curl, bash as Actions runs it) fails while the rollout holds', async () => {
      type Workflow = { jobs: Record<string, { steps: { name?: string; run: string }[] }> };
      const step = shippedYaml<Workflow>('deploy/github/deploy-wave.yml').jobs['wave-2']!.steps.find((s) => s.name === 'wavewatch gate')!;
      // the rollout id is <repository>-<sha7>, as the adapter derives it from the deployment
      const rolloutExpr = '${{ github.event.repository.name }}-${GITHUB_SHA::7}';
      assert.ok(step.run.includes(rolloutExpr));
      const script = (r: VerdictRollout) => step.run.replace('${{ secrets.WAVEWATCH_TOKEN }}', '').replace(rolloutExpr, r.rolloutId);
      const held = await runShell(script(v.hold), { WAVEWATCH: v.hold.url, GATE_RETRIES: '0' }, 'bash');
      assert.equal(held.code, 22, held.stderr);
      assert.match(held.stderr, /503/);
      const ok = await runShell(script(v.proceed), { WAVEWATCH: v.proceed.url, GATE_RETRIES: '0' }, 'bash');
      assert.equal(ok.code, 0, ok.stderr);
    });
  });

  describe('Spinnaker: Echo events and the webhook stage (deploy/spinnaker/)', () => {
    it('Echo stage events of a wave become cluster progress; other stages are ignored', async () => {
      const s = fixture<Record<string, unknown>>('spinnaker-echo-events.json', 'spin-flow');
      for (const name of ['pipelineStarting', 'stageStarting', 'waitStage', 'stageComplete', 'stageFailed']) {
        const res = await fetch(`${url}/api/v1/integrations/spinnaker`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s[name]) });
        assert.ok(res.status >= 200 && res.status < 300, `${name}: ${res.status} ${await res.text()}`);
      }
      const r = await rollout(url, 'spin-flow');
      assert.equal(r.version, 'v1.4.0');
      assert.equal(waveOf(r, 'wave-1')?.status, 'completed');
      assert.deepEqual(waveOf(r, 'wave-2')?.clusterStatus, { 'prod-b': 'failed' });
    });

    it('the webhook stage succeeds on proceed, keeps polling on hold and ends TERMINAL on rollback', async () => {
      const stage = JSON.parse(shipped('deploy/spinnaker/webhook-stage.json')) as {
        url: string;
        method: string;
        statusJsonPath: string;
        successStatuses: string;
        canceledStatuses: string;
        terminalStatuses: string;
      };
      const want = { proceed: 'SUCCEEDED', hold: 'RUNNING', rollback: 'TERMINAL' };
      for (const verdict of VERDICTS) {
        const r = v[verdict];
        const res = await fetch(stage.url.replace(SERVICE, r.url).replace("${trigger['parameters']['wavewatchRollout']}", r.rolloutId), { method: stage.method });
        assert.equal(spinnakerStatus(res.status, await res.json(), stage), want[verdict], verdict);
      }
    });
  });

  it('the README shows the shipped recipes verbatim', () => {
    const readme = shipped('README.md');
    for (const file of ['deploy/argo-rollouts/analysis-template.yaml', 'deploy/flagger/canary.yaml', 'deploy/spinnaker/webhook-stage.json', 'deploy/argo/presync-gate-job.yaml']) {
      assert.ok(readme.includes(shipped(file).trim()), `README.md must contain ${file} verbatim`);
    }
  });
});

type Job = {
  metadata: { annotations: Record<string, string> };
  spec: { template: { spec: { containers: { env: { name: string; value?: string }[]; command: string[] }[] } } };
};
const presyncJob = (): Job => shippedYaml<Job>('deploy/argo/presync-gate-job.yaml');

// fetch refuses a GET with a body; notifications-engine sends one (Go's net/http allows it).
function rawRequest(target: string, method: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
