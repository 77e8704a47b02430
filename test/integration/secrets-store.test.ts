import { Readable } from 'node:stream';
import { CreateSecretCommand, DeleteSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttuneClient } from '../../cli/client.ts';
import { listSecrets, setSecret } from '../../cli/commands/secrets.ts';
import { startApiServer } from '../../functions/http-api/index.ts';
import { InvalidSecretName, SECRET_CACHE_TTL_MS, SecretStore, SecretUnavailable } from '../../engine/secrets/index.ts';
import { captureIo } from '../unit/cli/helpers.ts';
import { FakeEngine } from '../unit/http-api/fake-engine.ts';
import { awsClients, uniqueName } from './support.ts';

const secrets = () => awsClients().secrets;

let prefix: string;
let created: string[];

/** Creates a secret directly in Secrets Manager (as another tool would) and answers its ARN. */
async function createSecret(id: string, value: string): Promise<string> {
  const answer = await secrets().send(new CreateSecretCommand({ Name: id, SecretString: value }));
  created.push(id);
  return answer.ARN as string;
}

/** The store under this test's own prefix, with a clock the test moves. */
function storeAt(clock: { now: number }, options: { cacheTtlMs?: number; listPageSize?: number } = {}): SecretStore {
  return new SecretStore({ client: secrets(), prefix, now: () => clock.now, ...options });
}

beforeEach(() => {
  prefix = `${uniqueName('attune-secrets-test')}/`;
  created = [];
});

afterEach(async () => {
  await Promise.all(created.map((id) => secrets().send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true })).catch(() => undefined)));
});

describe('SecretStore against local Secrets Manager', () => {
  it('resolves names under the prefix and full ARNs as they are', async () => {
    // Prepare
    await createSecret(`${prefix}db/password`, 'pw-from-name');
    const arn = await createSecret(`${uniqueName('elsewhere')}/api-key`, 'key-from-arn');
    // Act
    const resolved = await storeAt({ now: 0 }).resolve({ password: 'db/password', apiKey: arn });
    // Assess
    expect(resolved).toEqual({ password: 'pw-from-name', apiKey: 'key-from-arn' });
  });

  it('serves a value from memory within the TTL and reads it again after', async () => {
    // Prepare
    const clock = { now: 1_000 };
    await createSecret(`${prefix}rotating`, 'first');
    const store = storeAt(clock);
    await store.resolve({ token: 'rotating' });
    await secrets().send(new PutSecretValueCommand({ SecretId: `${prefix}rotating`, SecretString: 'second' }));
    // Act
    clock.now += SECRET_CACHE_TTL_MS - 1;
    const cached = await store.resolve({ token: 'rotating' });
    clock.now += 1;
    const fresh = await store.resolve({ token: 'rotating' });
    const uncached = await storeAt(clock, { cacheTtlMs: 0 }).resolve({ token: 'rotating' });
    // Assess
    expect(cached.token).toBe('first');
    expect(fresh.token).toBe('second');
    expect(uncached.token).toBe('second');
  });

  it('names the missing secret and its key, and no value, when a secret does not exist', async () => {
    // Prepare
    await createSecret(`${prefix}present`, 'present-value-123');
    const store = storeAt({ now: 0 });
    // Act
    const error = await store.resolve({ ok: 'present', password: 'db/missing' }).catch((err: unknown) => err);
    // Assess
    expect(error).toBeInstanceOf(SecretUnavailable);
    const unavailable = error as SecretUnavailable;
    expect(unavailable).toMatchObject({ key: 'password', secret: 'db/missing', secretId: `${prefix}db/missing`, reason: 'not-found' });
    expect(unavailable.message).toContain('"db/missing"');
    expect(unavailable.message).toContain('key "password"');
    expect(unavailable.message).not.toContain('present-value-123');
  });

  it('refuses a malformed name before asking Secrets Manager', async () => {
    await expect(storeAt({ now: 0 }).resolve({ x: '../../other-stage/secret' })).rejects.toBeInstanceOf(InvalidSecretName);
  });

  it('creates, then updates, and lists names only under its prefix, across pages', async () => {
    // Prepare
    const clock = { now: 0 };
    const store = storeAt(clock, { listPageSize: 2 });
    created.push(`${prefix}b/two`, `${prefix}a/one`, `${prefix}c/three`);
    const outside = await createSecret(`${uniqueName('attune-secrets-test')}/not-ours`, 'outside-value');
    // Act
    const first = await store.put('b/two', 'value-2');
    await store.resolve({ v: 'b/two' });
    const second = await store.put('b/two', 'value-2b');
    await store.put('a/one', 'value-1');
    await store.put('c/three', 'value-3');
    const names = await store.list();
    const after = await store.resolve({ v: 'b/two' });
    // Assess
    expect(first).toEqual({ created: true, secretId: `${prefix}b/two` });
    expect(second).toEqual({ created: false, secretId: `${prefix}b/two` });
    expect(names).toEqual(['a/one', 'b/two', 'c/three']);
    expect(JSON.stringify(names)).not.toContain('value-');
    expect(names).not.toContain(outside);
    expect(after.v).toBe('value-2b'); // put forgets the cached value
  });
});

describe('attune secret set | list through the API, against local Secrets Manager', () => {
  it('stores piped stdin under the engine\'s prefix and lists the name without the value', async () => {
    // Prepare: the API over a real SecretStore; the CLI holds no AWS setting of its own
    created.push(`${prefix}cli/token`);
    const server = await startApiServer({ engine: new FakeEngine(), apiKeys: (key) => key === 'k', secrets: storeAt({ now: 0 }), log: () => {} }, { port: 0 });
    const client = new AttuneClient({ url: server.url, apiKey: 'k' });
    const setIo = captureIo({});
    const listIo = captureIo({});
    try {
      // Act
      const setCode = await setSecret({ io: setIo.io, client: async () => client }, 'cli/token', [], { stdin: Readable.from([Buffer.from('cli-value-42\n')]) });
      const listCode = await listSecrets({ io: listIo.io, client: async () => client }, {});
      const resolved = await storeAt({ now: 0 }).resolve({ token: 'cli/token' });
      // Assess
      expect([setCode, listCode]).toEqual([0, 0]);
      expect(setIo.stdout()).toBe(`created secret cli/token (${prefix}cli/token)\n`);
      expect(listIo.stdout()).toBe('cli/token\n');
      expect(resolved.token).toBe('cli-value-42');
    } finally {
      await server.close();
    }
  });
});
