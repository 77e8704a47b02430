import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import type { ErrorEnvelope, TriggerTypeView } from '../../engine/wire/index.ts';
import { fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

/** Pack trigger types end to end: registered with their pack, rules checked against them, events checked at intake. */
let t: TestEngine;
let scratch: string;

/** Writes a pack from file texts into the scratch directory and returns its bundle. */
async function packBundle(name: string, files: Record<string, string>): Promise<Uint8Array> {
  const dir = join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), `${text}\n`);
  }
  return bundlePack(dir);
}

const packYaml = (ref: string) => `ref: ${ref}\nname: ${ref}\ndescription: trigger type tests\nversion: 0.1.0\nauthor: attune`;
const ruleOn = (name: string, type: string) => `name: ${name}\ntrigger:\n  type: ${type}\naction:\n  ref: core.echo\n  parameters:\n    message: "{{ trigger.service }}"`;

const post = (path: string, body: unknown) =>
  fetch(`${t.engine.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  t = await startTestEngine({ workers: 0, packs: [fixture('packs/with_triggers')] });
  scratch = await mkdtemp(join(tmpdir(), 'attune-trigger-types-'));
}, 120_000);

afterAll(async () => {
  await t?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('pack trigger types', () => {
  it('lists the built-in types and those the registered pack defines, with their payload schemas', async () => {
    // Act
    const res = await fetch(`${t.engine.url}/v1/trigger-types`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    const { items } = (await res.json()) as { items: TriggerTypeView[] };
    // Assess
    expect(res.status).toBe(200);
    expect(items.find((i) => i.ref === 'core.st2.webhook')).toMatchObject({ builtin: true });
    const own = items.filter((i) => i.pack === 'hooks');
    expect(own.map((i) => i.ref)).toEqual(['hooks.deployed', 'hooks.repo_event']);
    expect(own[0]?.payloadSchema).toMatchObject({ properties: { service: { type: 'string', required: true } } });
  });

  it('refuses a rule on a trigger type nothing defines, naming the file and field, and takes one on a registered type', async () => {
    // Prepare
    const unknown = await packBundle('orphan', { 'pack.yaml': packYaml('orphan'), 'rules/r.yaml': ruleOn('r', 'hooks.nothing_like_this') });
    const known = await packBundle('friend', { 'pack.yaml': packYaml('friend'), 'rules/r.yaml': ruleOn('r', 'hooks.repo_event') });
    // Act
    const refused = await t.client.registerPack(unknown).catch((e: unknown) => e as Error);
    const registered = await t.client.registerPack(known);
    // Assess
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/rules\/r\.yaml: trigger\.type: unknown trigger type hooks\.nothing_like_this/);
    expect((await t.client.listPacks()).map((p) => p.ref)).not.toContain('orphan');
    expect(registered.rules).toEqual(['friend.r']);
  });

  it("checks a rule's trigger parameters against the registered type's parameters_schema, as st2 does", async () => {
    // Prepare
    // Disabled: registered to be checked, never to fire in the other tests.
    const rule = (env: string) => `name: r\nenabled: false\ntrigger:\n  type: hooks.deployed\n  parameters: {env: ${env}}\naction:\n  ref: core.echo`;
    const bad = await packBundle('wrongenv', { 'pack.yaml': packYaml('wrongenv'), 'rules/r.yaml': rule('dev') });
    const good = await packBundle('rightenv', { 'pack.yaml': packYaml('rightenv'), 'rules/r.yaml': rule('prod') });
    // Act
    const refused = await t.client.registerPack(bad).catch((e: unknown) => e as Error);
    const registered = await t.client.registerPack(good);
    // Assess
    expect((refused as Error).message).toContain('rules/r.yaml: trigger.parameters.env: expected one of ["staging","prod"], received a string (the parameters_schema of hooks.deployed)');
    expect(registered.rules).toEqual(['rightenv.r']);
  });

  it('fires a registered trigger type through POST /v1/events and creates the rule execution', async () => {
    // Act
    const res = await post('/v1/events', { trigger: 'hooks.deployed', payload: { service: 'web', replicas: 2, env: 'prod' } });
    const answer = (await res.json()) as { triggerInstance: string; executions: string[] };
    // Assess
    expect(res.status).toBe(202);
    expect(answer.executions).toHaveLength(1);
    expect((await t.client.getExecution(answer.executions[0]!)).parameters).toMatchObject({ message: 'deployed web' });
  });

  it('answers 400 naming the payload field that breaks the payload_schema, and 400 for an unknown type, storing nothing', async () => {
    // Prepare
    const before = (await t.client.listExecutions({ action: 'core.echo' })).items.length;
    // Act
    const missing = await post('/v1/events', { trigger: 'hooks.deployed', payload: { replicas: 2 } });
    const wrongType = await post('/v1/events', { trigger: 'hooks.deployed', payload: { service: 'web', replicas: 'two' } });
    const extra = await post('/v1/events', { trigger: 'hooks.deployed', payload: { service: 'web', region: 'eu' } });
    const unknown = await post('/v1/events', { trigger: 'hooks.nope', payload: {} });
    // Assess
    expect([missing.status, wrongType.status, extra.status, unknown.status]).toEqual([400, 400, 400, 400]);
    expect(((await missing.json()) as ErrorEnvelope).error).toMatchObject({ code: 'invalid_payload', field: 'payload.service' });
    const wrong = ((await wrongType.json()) as ErrorEnvelope).error;
    expect(wrong).toMatchObject({ code: 'invalid_payload', field: 'payload.replicas' });
    expect(wrong.message).toBe('payload of hooks.deployed does not match its payload_schema: payload.replicas: expected integer, received a string');
    expect(((await extra.json()) as ErrorEnvelope).error).toMatchObject({ field: 'payload.region' });
    expect(((await unknown.json()) as ErrorEnvelope).error).toMatchObject({ code: 'unknown_trigger_type', field: 'trigger' });
    expect((await t.client.listExecutions({ action: 'core.echo' })).items).toHaveLength(before);
  });
});
