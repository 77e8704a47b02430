import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../cli/index.ts';
import type { ErrorEnvelope, RuleTestView, TriggerInstancePage } from '../../engine/wire/index.ts';
import { bundlePack } from '../../cli/bundle.ts';
import { timerInstanceId, timerPayload } from '../../engine/timers/index.ts';
import { TriggerInstanceStore } from '../../engine/triggers/index.ts';
import { fixture, startTestEngine, type TestEngine } from './engine-harness.ts';
import { awsClients } from './support.ts';

/** Trigger instances listed and re-emitted, and the rule tester, through the HTTP API and the CLI. */
let t: TestEngine;
let scratch: string;

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${t.engine.url}${path}`, { method, headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Runs `attune <argv>` in-process against the test engine. */
async function attune(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (c) => void (stdout += c.toString()),
    err: (c) => void (stderr += c.toString()),
    env: { ATTUNE_URL: t.engine.url, ATTUNE_API_KEY: t.apiKey },
    cwd: scratch,
    sleep: async () => undefined,
    now: () => Date.now(),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const emit = async (service: string) => (await (await api('POST', '/v1/events', { trigger: 'hooks.deployed', payload: { service } })).json()) as { triggerInstance: string; executions: string[] };

beforeAll(async () => {
  t = await startTestEngine({ workers: 0, packs: [fixture('packs/with_triggers')] });
  scratch = await mkdtemp(join(tmpdir(), 'attune-instances-'));
}, 120_000);

afterAll(async () => {
  await t?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('GET /v1/trigger-instances', () => {
  it('lists instances newest first, by trigger type, in pages that a cursor continues', async () => {
    // Prepare
    const first = await emit('one');
    const second = await emit('two');
    const third = await emit('three');
    await api('POST', '/v1/webhooks/anything', {});
    // Act
    const page1 = (await (await api('GET', '/v1/trigger-instances?trigger=hooks.deployed&limit=2')).json()) as TriggerInstancePage;
    const page2 = (await (await api('GET', `/v1/trigger-instances?trigger=hooks.deployed&limit=2&cursor=${page1.cursor}`)).json()) as TriggerInstancePage;
    const all = (await (await api('GET', '/v1/trigger-instances')).json()) as TriggerInstancePage;
    // Assess
    expect(page1.items.map((i) => i.id)).toEqual([third.triggerInstance, second.triggerInstance]);
    expect(page1.items[0]).toMatchObject({ trigger: 'hooks.deployed', payload: { service: 'three' } });
    expect(page2.items.map((i) => i.id)).toEqual([first.triggerInstance]);
    expect(all.items.map((i) => i.id).slice(0, 3)).toEqual([third.triggerInstance, second.triggerInstance, first.triggerInstance]);
  });

  it('stores nothing for an event refused by its payload_schema', async () => {
    // Prepare
    const before = (await (await api('GET', '/v1/trigger-instances?trigger=hooks.deployed&limit=100')).json()) as TriggerInstancePage;
    // Act
    const refused = await api('POST', '/v1/events', { trigger: 'hooks.deployed', payload: { service: 7 } });
    const after = (await (await api('GET', '/v1/trigger-instances?trigger=hooks.deployed&limit=100')).json()) as TriggerInstancePage;
    // Assess
    expect(refused.status).toBe(400);
    expect(after.items).toHaveLength(before.items.length);
  });

  it('answers 400 naming the field for a bad limit or a forged cursor, and 404 for an unknown instance', async () => {
    // Act
    const limit = await api('GET', '/v1/trigger-instances?limit=0');
    const cursor = await api('GET', `/v1/trigger-instances?cursor=${Buffer.from('{"pk":{"S":"x"}}').toString('base64url')}`);
    const missing = await api('POST', '/v1/trigger-instances/no-such-instance/re-emit');
    // Assess
    expect([limit.status, cursor.status, missing.status]).toEqual([400, 400, 404]);
    expect(((await limit.json()) as ErrorEnvelope).error.field).toBe('limit');
    expect(((await cursor.json()) as ErrorEnvelope).error.field).toBe('cursor');
  });
});

describe('re-emit', () => {
  it('dispatches the stored payload again as a new instance naming the original, and its rule runs again', async () => {
    // Prepare
    const original = await emit('again');
    // Act
    const res = await api('POST', `/v1/trigger-instances/${original.triggerInstance}/re-emit`);
    const result = (await res.json()) as { triggerInstance: string; executions: string[]; reEmitOf: string };
    // Assess
    expect(res.status).toBe(202);
    expect(result.reEmitOf).toBe(original.triggerInstance);
    expect(result.triggerInstance).not.toBe(original.triggerInstance);
    expect(result.executions).toHaveLength(1);
    expect(result.executions[0]).not.toBe(original.executions[0]);
    expect((await t.client.getExecution(result.executions[0]!)).parameters).toMatchObject({ message: 'deployed again' });
    const stored = await (await api('GET', `/v1/trigger-instances/${result.triggerInstance}`)).json();
    expect(stored).toMatchObject({ trigger: 'hooks.deployed', payload: { service: 'again' }, reEmitOf: original.triggerInstance });
  });

  it('works from the CLI: trigger-instance list shows it and re-emit prints the new instance', async () => {
    // Prepare
    const original = await emit('cli');
    // Act
    const list = await attune(['trigger-instance', 'list', '--trigger', 'hooks.deployed', '--limit', '1']);
    const reEmit = await attune(['trigger-instance', 're-emit', original.triggerInstance]);
    // Assess
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(original.triggerInstance);
    expect(list.stdout).toContain('{"service":"cli"}');
    expect(reEmit.code).toBe(0);
    expect(reEmit.stdout).toMatch(new RegExp(`^re-emitted ${original.triggerInstance} as \\S+: executions \\S+\\n$`));
  });
});

describe('re-emit of a timer tick', () => {
  it('runs only the rule the tick belonged to, as the tick did', async () => {
    // Prepare: two daily timers (they will not tick during the test) and a stored tick of the first.
    const dir = join(scratch, 'ticks');
    const timerRule = (name: string) => `name: ${name}\ntrigger:\n  type: core.st2.IntervalTimer\n  parameters: {unit: days, delta: 1}\naction:\n  ref: core.echo\n  parameters:\n    message: "${name} at {{ trigger.executed_at }}"`;
    const files: Record<string, string> = { 'pack.yaml': 'ref: ticks\nname: ticks\ndescription: timers\nversion: 0.1.0\nauthor: attune', 'rules/a.yaml': timerRule('a'), 'rules/b.yaml': timerRule('b') };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), `${text}\n`);
    }
    await t.client.registerPack(await bundlePack(dir));
    const tick = Date.parse('2026-01-01T00:00:00Z');
    const id = await new TriggerInstanceStore(awsClients().ddb, t.engine.config.eventsTable).put('core.st2.IntervalTimer', timerPayload(tick), timerInstanceId('ticks.a', tick));
    // Act
    const res = await api('POST', `/v1/trigger-instances/${id}/re-emit`);
    const result = (await res.json()) as { executions: string[] };
    // Assess
    expect(res.status).toBe(202);
    expect(result.executions).toHaveLength(1);
    const execution = await t.client.getExecution(result.executions[0]!);
    expect(execution.rule).toBe('ticks.a');
    expect(execution.parameters).toMatchObject({ message: 'a at 2026-01-01 00:00:00+00:00' });
  });
});

describe('rule test', () => {
  it('answers whether the rule matches and the parameters it would render, running nothing', async () => {
    // Prepare
    const before = (await t.client.listExecutions({ action: 'core.echo', limit: 100 })).items.length;
    // Act
    const res = await api('POST', '/v1/rules/hooks.on_deployed/test', { payload: { service: 'web' } });
    const view = (await res.json()) as RuleTestView;
    // Assess
    expect(res.status).toBe(200);
    expect(view).toEqual({ rule: 'hooks.on_deployed', trigger: 'hooks.deployed', action: 'core.echo', enabled: true, matched: true, parameters: { message: 'deployed web' } });
    expect((await t.client.listExecutions({ action: 'core.echo', limit: 100 })).items).toHaveLength(before);
  });

  it('from the CLI: exits 0 on a match with --payload JSON, 1 without one from a trigger instance file, and 404s an unknown rule', async () => {
    // Prepare
    await writeFile(join(scratch, 'instance.json'), JSON.stringify({ trigger: 'hooks.deployed', payload: { env: 'prod' } }));
    // Act
    const match = await attune(['rule', 'test', 'hooks.on_deployed', '--payload', '{"service":"api"}']);
    const noMatch = await attune(['rule', 'test', 'hooks.on_deployed', 'instance.json']);
    const unknown = await attune(['rule', 'test', 'hooks.nope', '--payload', '{}']);
    // Assess
    expect(match).toMatchObject({ code: 0 });
    expect(match.stdout).toContain('MATCHED');
    expect(match.stdout).toContain('"message": "deployed api"');
    expect(noMatch.code).toBe(1);
    expect(noMatch.stdout).toContain('NOT MATCHED: criterion trigger.service (exists) does not hold for a payload without it');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown rule "hooks.nope"');
  });
});
