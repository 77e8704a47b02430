import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretStore, webhookSecretName } from '../../engine/secrets/index.ts';
import { awsClients, eventually } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
let http: Server;
let httpUrl: string;

beforeAll(async () => {
  t = await startTestEngine({ workers: 2, packs: [fixture('spine-pack'), fixture('deps-pack'), fixture('deps-broken-pack')] });
  http = createServer((req, res) => {
    const status = req.url === '/broken' ? 503 : 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, method: req.method }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await t?.stop();
  await new Promise((r) => http?.close(r));
});

const webhook = (name: string, body: unknown) =>
  fetch(`${t.engine.url}/v1/webhooks/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('trigger → rule → queue → worker → result', () => {
  it('runs the rule of a matching webhook and passes whole-expression templates with their JSON types', async () => {
    // Act
    const res = await webhook('spine/typed', { kind: 'go', count: 3, flags: { dry: true } });
    const answer = (await res.json()) as { triggerInstance: string; executions: string[] };
    // Assess
    expect(res.status).toBe(202);
    expect(answer.executions).toHaveLength(1);
    const done = await finished(t.client, answer.executions[0]!);
    expect(done.status).toBe('succeeded');
    expect(done.parameters).toEqual({ count: 3, label: 'n=3', flags: { dry: true } });
    expect(done.result).toEqual({ count: 'int', label: 'str', flags: 'dict' });
    const stdout = new TextDecoder().decode(await t.client.readOutput(done.id, 'stdout'));
    expect(stdout).toContain("types of ['count', 'flags', 'label']");
  });

  it('creates no execution for a webhook whose payload fails the criteria, and answers 404 for one no rule listens on', async () => {
    const miss = (await (await webhook('spine/typed', { kind: 'stop', count: 3 })).json()) as { executions: string[] };
    const nobody = await webhook('spine/nobody', { kind: 'go', count: 3 });
    expect(miss.executions).toEqual([]);
    expect(nobody.status).toBe(404);
  });

  it('takes a webhook signed with its own secret without an API key, and refuses a wrong signature', async () => {
    // Prepare: the webhook's signing key, stored as `attune secret set webhooks/spine/typed` would.
    const key = `whk-${Date.now()}`;
    await new SecretStore({ client: awsClients().secrets, prefix: t.engine.config.secretPrefix }).put(webhookSecretName('spine/typed'), key);
    const body = JSON.stringify({ kind: 'go', count: 1 });
    const signed = (signature: string) =>
      fetch(`${t.engine.url}/v1/webhooks/spine/typed`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-attune-signature': signature }, body });
    // Act
    const good = await signed(`sha256=${createHmac('sha256', key).update(body).digest('hex')}`);
    const bad = await signed(`sha256=${createHmac('sha256', 'not-the-key').update(body).digest('hex')}`);
    // Assess
    expect(good.status).toBe(202);
    const { executions } = (await good.json()) as { executions: string[] };
    expect((await finished(t.client, executions[0]!)).parameters).toMatchObject({ count: 1 });
    expect(bad.status).toBe(401);
  });

  it('runs the EventBridge rule for an event put on the local bus', async () => {
    // Act
    const name = `ev-${Date.now()}`;
    await awsClients().events.send(
      new PutEventsCommand({ Entries: [{ EventBusName: t.engine.config.eventBusName, Source: 'spine.tests', DetailType: 'spine.hello', Detail: JSON.stringify({ name }) }] }),
    );
    // Assess
    const execution = await eventually(async () => (await t.client.listExecutions({ action: 'spine.hello' })).items.find((e) => e.parameters.name === name));
    const done = await finished(t.client, execution.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({ greeting: `hello ${name}` });
  });

  it.each([
    ['core.local', { cmd: 'echo fine' }, 'succeeded', 0],
    ['spine.exit3', {}, 'failed', 3],
    ['spine.boom', {}, 'failed', 1],
    ['spine.hello', { name: 'node' }, 'succeeded', 0],
    ['spine.hello', { fail: true }, 'failed', 1],
  ] as const)('%s %j ends %s with exit code %d', async (action, parameters, status, exitCode) => {
    const { id } = await t.client.createExecution(action, parameters);
    const done = await finished(t.client, id);
    expect(done.status).toBe(status);
    expect(done.exitCode).toBe(exitCode);
    if (action === 'spine.boom') {
      expect(done.error).toContain('boom from the fixture');
      expect(new TextDecoder().decode(await t.client.readOutput(id, 'stderr'))).toContain('RuntimeError');
    }
  });

  it('times out a hanging action and leaves no process of it behind', async () => {
    // Prepare
    const pidFile = join(t.root, `grandchild-${Date.now()}.pid`);
    // Act
    const { id } = await t.client.createExecution('spine.hang', { pid_file: pidFile, timeout: 2 });
    const done = await finished(t.client, id);
    // Assess
    expect(done.status).toBe('timeout');
    const grandchild = Number((await readFile(pidFile, 'utf8')).trim());
    const alive = await eventually(async () => {
      const stat = await readFile(`/proc/${grandchild}/stat`, 'utf8').catch(() => '');
      // Gone, or a zombie waiting to be reaped by init: either way it no longer runs.
      return stat === '' || / Z /.test(stat) ? false : undefined;
    }, 10_000);
    expect(alive).toBe(false);
  });

  it('runs http-request actions: 2xx succeeds with the parsed body, 5xx fails', async () => {
    const ok = await finished(t.client, (await t.client.createExecution('core.http', { url: `${httpUrl}/hook` })).id);
    const broken = await finished(t.client, (await t.client.createExecution('core.http', { url: `${httpUrl}/broken` })).id);
    expect(ok.status).toBe('succeeded');
    expect((ok.result as { status_code: number; body: unknown }).body).toEqual({ path: '/hook', method: 'GET' });
    expect(broken.status).toBe('failed');
  });

  it('answers bad requests with the contract 4xx naming the field', async () => {
    const key = t.apiKey;
    const post = (body: unknown, auth = `Bearer ${key}`) =>
      fetch(`${t.engine.url}/v1/executions`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrongType = await post({ action: 'spine.types', parameters: { count: 'three' } });
    const unknown = await post({ action: 'spine.nothing', parameters: {} });
    const noKey = await post({ action: 'core.noop' }, 'Bearer wrong');
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { error: { field: string } }).error.field).toBe('parameters.count');
    expect(unknown.status).toBe(404);
    expect(noKey.status).toBe(401);
  });

  it('cancels a running execution: the process group is stopped and the execution ends canceled', async () => {
    // Prepare
    const pidFile = join(t.root, `cancel-${Date.now()}.pid`);
    const { id } = await t.client.createExecution('spine.hang', { pid_file: pidFile, timeout: 60 });
    await eventually(async () => ((await t.client.getExecution(id)).status === 'running' && (await readFile(pidFile, 'utf8').catch(() => '')) ? true : undefined));
    // Act
    const canceling = await t.client.cancelExecution(id);
    const done = await finished(t.client, id);
    // Assess
    expect(canceling.status).toBe('canceling');
    expect(done.status).toBe('canceled');
  });

  it('runs a pack in its own environment with its pinned dependency, and shows the environment ready', { timeout: 180_000 }, async () => {
    const done = await finished(t.client, (await t.client.createExecution('deps.which_six', {})).id, 150_000);
    expect(done.status).toBe('succeeded');
    const result = done.result as { six: string; prefix: string; base_prefix: string };
    expect(result.six).toBe('1.16.0');
    expect(result.prefix).not.toBe(result.base_prefix);
    const pack = (await t.client.listPacks()).find((p) => p.ref === 'deps');
    expect(pack?.environment).toMatchObject({ state: 'ready' });
  });

  it('fails an execution whose pack requirement cannot be installed, naming it, and shows the environment failed', { timeout: 180_000 }, async () => {
    const done = await finished(t.client, (await t.client.createExecution('deps_broken.which_six', {})).id, 150_000);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('six==0.0.999');
    const pack = (await t.client.listPacks()).find((p) => p.ref === 'deps_broken');
    expect(pack?.environment.state).toBe('failed');
    expect(pack?.environment.error).toContain('six==0.0.999');
  });

  it('re-runs a finished execution with the same parameters', async () => {
    const first = await finished(t.client, (await t.client.createExecution('core.local', { cmd: 'echo again' })).id);
    const rerun = await t.client.rerunExecution(first.id);
    const second = await finished(t.client, rerun.id);
    expect(second.status).toBe('succeeded');
    expect(second.parameters).toEqual(first.parameters);
  });
});
