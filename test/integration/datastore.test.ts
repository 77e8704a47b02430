import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, setKey } from '../../cli/commands/keys.ts';
import { ApiRequestFailed, UsageError } from '../../cli/errors.ts';
import type { CommandContext } from '../../cli/io.ts';
import { RequestMeter, createAwsClients } from '../../engine/contract/index.ts';
import { KeyValueStore, kvRenderOptions } from '../../engine/datastore/index.ts';
import { SecretStore } from '../../engine/secrets/index.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';
import { awsClients, eventually } from './support.ts';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('kv-pack')] });
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** The API's error code for a call that must fail. */
async function failure(call: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiRequestFailed);
  const { status, code } = error as ApiRequestFailed & { code: string };
  return { status, code };
}

describe('the st2kv datastore over the HTTP API', () => {
  it('sets, gets, lists by prefix and scope, and deletes keys', async () => {
    // Prepare
    await t.client.putKey('app.region', { value: 'eu-west-1' });
    await t.client.putKey('app.zone', { value: 'b' });
    await t.client.putKey('other', { value: 'x' });
    await t.client.putKey('app.region', { value: 'mine', scope: 'user' });
    // Act
    const got = await t.client.getKey('app.region');
    const listed = await t.client.listKeys({ prefix: 'app.' });
    const mine = await t.client.listKeys({ scope: 'user' });
    await t.client.deleteKey('app.zone');
    // Assess
    expect(got).toMatchObject({ name: 'app.region', scope: 'system', value: 'eu-west-1', secret: false });
    expect(listed.items.map((k) => [k.name, k.value])).toEqual([['app.region', 'eu-west-1'], ['app.zone', 'b']]);
    expect(mine.items).toEqual([expect.objectContaining({ name: 'app.region', scope: 'user', user: 'attune', value: 'mine' })]);
    expect(await failure(t.client.getKey('app.zone'))).toEqual({ status: 404, code: 'key_not_found' });
    expect(await failure(t.client.deleteKey('app.zone'))).toEqual({ status: 404, code: 'key_not_found' });
  });

  it('refuses a bad name, value, scope or ttl, naming the field', async () => {
    const bad = (call: Promise<unknown>) => call.then(() => undefined, (e: ApiRequestFailed & { field?: string }) => [e.status, e.field]);
    expect(await bad(t.client.putKey('a..b', { value: 'v' }))).toEqual([400, 'name']);
    expect(await bad(t.client.putKey('ok', { value: 3 as unknown as string }))).toEqual([400, 'value']);
    expect(await bad(t.client.putKey('ok', { value: 'v', scope: 'root' }))).toEqual([400, 'scope']);
    expect(await bad(t.client.putKey('ok', { value: 'v', ttl: 0 }))).toEqual([400, 'ttl']);
  });

  it('stores a secret value in Secrets Manager only, answers it masked, and in clear with decrypt=true', async () => {
    // Prepare
    const value = `pw-${randomBytes(12).toString('hex')}`;
    // Act
    const set = await t.client.putKey('db.password', { value, secret: true });
    const masked = await t.client.getKey('db.password');
    const listed = await t.client.listKeys();
    const clear = await t.client.getKey('db.password', { decrypt: true });
    // Assess
    expect([set.value, masked.value, masked.secret]).toEqual(['********', '********', true]);
    expect(listed.items.find((k) => k.name === 'db.password')?.value).toBe('********');
    expect(clear.value).toBe(value);
    const { ddb, secrets } = awsClients();
    const items = await ddb.send(new ScanCommand({ TableName: t.engine.config.kvTable }));
    expect(JSON.stringify(items.Items)).not.toContain(value);
    expect(JSON.stringify(items.Items)).toContain('db.password');
    const secretId = `${t.engine.config.secretPrefix}_kv/system/db.password`;
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString).toBe(value);
    // Deleting the key deletes its secret.
    await t.client.deleteKey('db.password');
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).rejects.toThrow(/ResourceNotFound|can't find|not found/i);
  });

  it('drops an expired key at once, whatever DynamoDB has not deleted yet', async () => {
    // Prepare
    await t.client.putKey('short', { value: 'lived', ttl: 1 });
    const before = await t.client.getKey('short');
    // Act
    await new Promise((r) => setTimeout(r, 2_100));
    // Assess
    expect(before.expireTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await failure(t.client.getKey('short'))).toEqual({ status: 404, code: 'key_not_found' });
    expect((await t.client.listKeys()).items.map((k) => k.name)).not.toContain('short');
  });

  it('runs a rule whose parameter renders st2kv.system and st2kv.user values', { timeout: 90_000 }, async () => {
    // Prepare
    await t.client.putKey('greeting', { value: 'world' });
    await t.client.putKey('team', { value: 'ops', scope: 'user' });
    // Act
    const res = await t.client.request('POST', '/v1/webhooks/kv/greet', { json: { who: 'ada' } });
    const { executions } = (await res.json()) as { executions: string[] };
    const done = await finished(t.client, executions[0] as string, 60_000);
    // Assess
    expect(done.parameters).toMatchObject({ cmd: "echo 'hello world from ops for ada'" });
    expect(done.status).toBe('succeeded');
    const stdout = await eventually(async () => {
      const text = new TextDecoder().decode(await t.client.readOutput(done.id, 'stdout'));
      return text.includes('hello') ? text : undefined;
    });
    expect(stdout).toContain('hello world from ops for ada');
  });
});

describe('st2kv reads before rendering', () => {
  it('reads exactly the keys a template names: one GetItem each, one GetSecretValue per decrypted secret', async () => {
    // Prepare: ten keys, of which the templates name two (one secret).
    const meter = new RequestMeter();
    const metered = createAwsClients({ meter });
    const { config } = t.engine;
    const secrets = new SecretStore({ client: metered.secrets, prefix: config.secretPrefix, cacheTtlMs: 0 });
    const store = new KeyValueStore({ ddb: metered.ddb, table: config.kvTable, secrets });
    for (let i = 0; i < 9; i++) await store.put(`m.k${i}`, { value: `v${i}` });
    await store.put('m.token', { value: 'tok-123456', secret: true });
    const templates = { host: '{{ st2kv.system.m_host }}', v: 'x{{ st2kv.system["m.k3"] }}', token: '{{ st2kv.system["m.token"] | decrypt_kv }}' };
    meter.reset();
    // Act
    const extras = await kvRenderOptions(store, templates);
    // Assess
    expect(meter.snapshot()).toEqual({ 'dynamodb:GetItem': 3, 'secretsmanager:GetSecretValue': 1 });
    const { renderParameters } = await import('../../engine/rules/index.ts');
    expect(renderParameters(templates, {}, extras)).toEqual({ host: '', v: 'xv3', token: 'tok-123456' });
  });
});

describe('attune key', () => {
  /** A CLI context on the test engine's client, capturing stdout and stderr. */
  function cli(): { ctx: CommandContext; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (c: string | Uint8Array) => void out.push(String(c)), err: (c: string | Uint8Array) => void err.push(String(c)), env: {}, cwd: '/', sleep: async () => {}, now: () => 0 };
    return { ctx: { io, client: async () => t.client }, out, err };
  }

  it('reads a --secret value from stdin, never echoes it, and gets it back only with --decrypt', async () => {
    // Prepare
    const value = `s-${randomBytes(10).toString('hex')}`;
    const { ctx, out, err } = cli();
    // Act
    await setKey(ctx, 'cli.secret', undefined, { secret: true }, { stdin: Readable.from([`${value}\n`]) });
    await getKey(ctx, 'cli.secret', {});
    await getKey(ctx, 'cli.secret', { decrypt: true });
    // Assess
    expect(out).toEqual(['set cli.secret (system, secret)\n', '********\n', `${value}\n`]);
    expect(err.join('')).not.toContain(value);
  });

  it('refuses a --secret value given on the command line, without echoing it or storing anything', async () => {
    const { ctx } = cli();
    const act = setKey(ctx, 'cli.argv', 'hunter2-on-argv', { secret: true }, { stdin: Readable.from([]) });
    await expect(act).rejects.toThrow(UsageError);
    await expect(act).rejects.not.toThrow(/hunter2/);
    expect(await failure(t.client.getKey('cli.argv'))).toEqual({ status: 404, code: 'key_not_found' });
  });

  it('takes a plain value from the command line, as st2 key set does, with a TTL', async () => {
    const { ctx, out } = cli();
    await setKey(ctx, 'cli.plain', 'v1', { ttl: 3600, scope: 'user' }, { stdin: Readable.from([]) });
    expect(out[0]).toMatch(/^set cli\.plain \(user, expires \d{4}-/);
    expect((await t.client.getKey('cli.plain', { scope: 'user' })).value).toBe('v1');
  });
});
