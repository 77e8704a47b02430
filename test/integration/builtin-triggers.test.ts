import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import { executionIdFor } from '../../engine/service/dispatch.ts';
import type { ExecutionView, TriggerInstanceView } from '../../engine/wire/index.ts';
import { finished, startTestEngine, type TestEngine } from './engine-harness.ts';
import { eventually } from './support.ts';

/**
 * st2's built-in triggers on the real local stack under `attune dev`: the end of every execution
 * fires `core.st2.generic.actiontrigger` (and its action's `notify` routes fire
 * `core.st2.generic.notifytrigger`); datastore writes fire `core.st2.key_value_pair.*`. Each goes
 * through the intake queue and the ordinary rule evaluation.
 */
const PACK = 'chained';
const TOKEN = 'hunter2-token-value';
const SECRET_VALUE = 's3cret-kv-value';

const FILES: Record<string, string> = {
  'pack.yaml': `ref: ${PACK}\nname: ${PACK}\ndescription: Rules on built-in triggers\nversion: 0.1.0\nauthor: attune\n`,
  'actions/fails.yaml': [
    'name: fails',
    'runner_type: local-shell-cmd',
    'parameters:',
    '  cmd: {type: string, default: "echo about to fail; exit 3"}',
    `  token: {type: string, secret: true, default: "${TOKEN}"}`,
    'notify:',
    '  on-failure:',
    '    routes: [ops]',
    '    message: "{{ action_parameters.cmd }} ended {{ action_results.return_code }}"',
    '    data: {who: "{{ action_context.user }}"}',
    '  on-success:',
    '    channels: [chat]',
  ].join('\n'),
  'triggers/deployed.yaml': [
    'name: deployed',
    `pack: ${PACK}`,
    'payload_schema:',
    '  type: object',
    '  properties:',
    '    service: {type: string}',
    '    replicas: {type: integer, minimum: 1}',
    '  required: [service]',
  ].join('\n'),
  'rules/on_failure.yaml': [
    'name: on_failure',
    'trigger: {type: core.st2.generic.actiontrigger}',
    'criteria:',
    '  trigger.status: {type: equals, pattern: failed}',
    `  trigger.action_ref: {type: equals, pattern: ${PACK}.fails}`,
    'action:',
    '  ref: core.local',
    '  parameters: {cmd: "echo recovered {{ trigger.execution_id }}"}',
  ].join('\n'),
  'rules/on_value_change.yaml': [
    'name: on_value_change',
    'trigger: {type: core.st2.key_value_pair.value_change}',
    'criteria:',
    `  trigger.new_object.name: {type: equals, pattern: ${PACK}.flag}`,
    'action:',
    '  ref: core.local',
    '  parameters: {cmd: "echo {{ trigger.old_object.value }} to {{ trigger.new_object.value }}"}',
  ].join('\n'),
};

let engine: TestEngine;
let packDir: string;

beforeAll(async () => {
  packDir = join(await mkdtemp(join(tmpdir(), 'attune-builtin-')), PACK);
  for (const [path, body] of Object.entries(FILES)) {
    await mkdir(join(packDir, path, '..'), { recursive: true });
    await writeFile(join(packDir, path), body);
  }
  engine = await startTestEngine({ workers: 1 });
  await engine.client.registerPack(await bundlePack(packDir));
});

afterAll(async () => {
  await engine?.stop();
  if (packDir) await rm(join(packDir, '..'), { recursive: true, force: true });
});

const instance = (id: string): Promise<TriggerInstanceView> =>
  eventually(() => engine.client.getTriggerInstance(id).catch(() => undefined), 30_000);

async function ruleExecutions(rule: string): Promise<ExecutionView[]> {
  const page = await engine.client.listExecutions({ action: 'core.local', limit: 100 });
  return page.items.filter((e) => e.rule === `${PACK}.${rule}`);
}

describe('built-in triggers on the local stack', () => {
  it('runs a second action when the first fails, through a rule on actiontrigger, and not when it succeeds', async () => {
    // Prepare / Act: one failing run, one succeeding run of the same action.
    const failed = await finished(engine.client, (await engine.client.createExecution(`${PACK}.fails`, {})).id);
    const passed = await finished(engine.client, (await engine.client.createExecution(`${PACK}.fails`, { cmd: 'true' })).id);

    // Assess: the failure's actiontrigger ran the rule's action once, with the failed execution's id.
    expect(failed.status).toBe('failed');
    expect(passed.status).toBe('succeeded');
    const followUp = await eventually(() => engine.client.getExecution(executionIdFor(`${PACK}.on_failure`, `actiontrigger-${failed.id}`)).catch(() => undefined), 30_000);
    const done = await finished(engine.client, followUp.id);
    expect(done.status).toBe('succeeded');
    expect((done.result as { stdout: string }).stdout).toBe(`recovered ${failed.id}`);
    expect(done.triggerInstance).toBe(`actiontrigger-${failed.id}`);

    // The payload is st2's, with the secret parameter masked.
    const fired = await instance(`actiontrigger-${failed.id}`);
    expect(fired.trigger).toBe('core.st2.generic.actiontrigger');
    expect(fired.payload).toMatchObject({
      execution_id: failed.id,
      status: 'failed',
      action_name: `${PACK}.fails`,
      action_ref: `${PACK}.fails`,
      runner_ref: 'local-shell-cmd',
      parameters: { cmd: 'echo about to fail; exit 3', token: '********' },
      result: { return_code: 3, stdout: 'about to fail', failed: true, succeeded: false },
    });
    expect((fired.payload as { start_timestamp: string }).start_timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    expect(JSON.stringify(fired)).not.toContain(TOKEN);

    // The success fired its own actiontrigger, which the rule's criteria did not match.
    await instance(`actiontrigger-${passed.id}`);
    await expect(engine.client.getExecution(executionIdFor(`${PACK}.on_failure`, `actiontrigger-${passed.id}`))).rejects.toThrow();
    expect((await ruleExecutions('on_failure')).map((e) => e.id)).toEqual([followUp.id]);
  });

  it("fires the action's notify routes as notifytrigger, rendered as st2's notifier renders them", async () => {
    // Prepare / Act
    const failed = await finished(engine.client, (await engine.client.createExecution(`${PACK}.fails`, { cmd: 'exit 4' })).id);
    const passed = await finished(engine.client, (await engine.client.createExecution(`${PACK}.fails`, { cmd: 'true' })).id);

    // Assess: on-failure posts to its route with its rendered message; on-success to its channel.
    const onFailure = await instance(`notify-${failed.id}-on-failure-0`);
    expect(onFailure.trigger).toBe('core.st2.generic.notifytrigger');
    expect(onFailure.payload).toMatchObject({
      message: 'exit 4 ended 4',
      data: { who: 'stanley' },
      execution_id: failed.id,
      status: 'failed',
      action_ref: `${PACK}.fails`,
      runner_ref: 'local-shell-cmd',
      route: 'ops',
      channel: 'ops',
    });
    expect(JSON.parse((onFailure.payload as { data: { result: string } }).data.result)).toMatchObject({ return_code: 4 });
    const onSuccess = await instance(`notify-${passed.id}-on-success-0`);
    expect(onSuccess.payload).toMatchObject({ message: `Action ${PACK}.fails succeeded.`, route: 'chat', status: 'succeeded' });
    // No on-failure for the success, no on-success for the failure.
    await expect(engine.client.getTriggerInstance(`notify-${passed.id}-on-failure-0`)).rejects.toThrow();
    await expect(engine.client.getTriggerInstance(`notify-${failed.id}-on-success-0`)).rejects.toThrow();
  });

  it('fires key_value_pair create, update and value_change from datastore writes, never with a secret value', async () => {
    // Prepare / Act: a key set twice with different values; a secret key set once.
    await engine.client.putKey(`${PACK}.flag`, { value: 'green' });
    await engine.client.putKey(`${PACK}.flag`, { value: 'red' });
    await engine.client.putKey(`${PACK}.secret`, { value: SECRET_VALUE, secret: true });

    // Assess: the value_change rule ran with the old and the new value.
    const [changed] = await eventually(async () => {
      const found = await ruleExecutions('on_value_change');
      return found.length > 0 ? found : undefined;
    }, 30_000);
    const done = await finished(engine.client, changed!.id);
    expect((done.result as { stdout: string }).stdout).toBe('green to red');
    const created = await eventually(async () => {
      const page = await engine.client.listTriggerInstances({ trigger: 'core.st2.key_value_pair.create', limit: 100 });
      const mine = page.items.filter((i) => [`${PACK}.flag`, `${PACK}.secret`].includes((i.payload as { object: { name: string } }).object.name));
      return mine.length === 2 ? mine : undefined;
    }, 30_000);
    const secret = created.find((i) => (i.payload as { object: { name: string } }).object.name === `${PACK}.secret`)!;
    expect(secret.payload).toEqual({ object: { name: `${PACK}.secret`, value: '********', secret: true, encrypted: true, scope: 'st2kv.system' } });
    const updates = await engine.client.listTriggerInstances({ trigger: 'core.st2.key_value_pair.update', limit: 100 });
    expect(updates.items.some((i) => (i.payload as { object: { value: string } }).object.value === 'red')).toBe(true);
    const everything = await engine.client.listTriggerInstances({ limit: 100 });
    expect(JSON.stringify(everything)).not.toContain(SECRET_VALUE);
  });

  it('fires key_value_pair.delete with the deleted key', async () => {
    // Prepare
    await engine.client.putKey(`${PACK}.gone`, { value: 'bye' });

    // Act
    await engine.client.deleteKey(`${PACK}.gone`);

    // Assess
    const deleted = await eventually(async () => {
      const page = await engine.client.listTriggerInstances({ trigger: 'core.st2.key_value_pair.delete', limit: 100 });
      return page.items.find((i) => (i.payload as { object: { name: string } }).object.name === `${PACK}.gone`);
    }, 30_000);
    expect(deleted.payload).toEqual({ object: { name: `${PACK}.gone`, value: 'bye', secret: false, encrypted: false, scope: 'st2kv.system' } });
  });

  it('core.inject_trigger goes through the payload_schema check: a payload that breaks it fails the execution naming payload.<path>', async () => {
    // Act
    const bad = await finished(engine.client, (await engine.client.createExecution('core.inject_trigger', { trigger: `${PACK}.deployed`, payload: { service: 'web', replicas: 0 } })).id);
    const good = await finished(engine.client, (await engine.client.createExecution('core.inject_trigger', { trigger: `${PACK}.deployed`, payload: { service: 'web', replicas: 2 } })).id);
    const refused = await engine.client.sendEvent(`${PACK}.deployed`, { service: 'web', replicas: 0 }).catch((err: unknown) => err as Error & { field?: string });

    // Assess: the same refusal, by the runner and by POST /v1/events; nothing stored for it.
    expect(bad.status).toBe('failed');
    expect(JSON.stringify(bad.error)).toContain('payload.replicas');
    await expect(engine.client.getTriggerInstance(bad.id)).rejects.toThrow();
    expect(good.status).toBe('succeeded');
    expect((await engine.client.getTriggerInstance(good.id)).payload).toEqual({ service: 'web', replicas: 2 });
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain('payload.replicas');
  });
});
