import { describe, expect, it } from 'vitest';
import { SecretStoreFailed } from '../../../engine/secrets/index.ts';
import { errorOf, setup } from './helpers.ts';

/** The API over a memory stand-in of the engine's SecretStore, recording what it was asked. */
function withSecrets(options: { failPut?: boolean } = {}) {
  const stored = new Map<string, string>();
  const secrets = {
    put: async (name: string, value: string) => {
      if (options.failPut) throw new SecretStoreFailed('put', name, 'ServiceUnavailable: try later');
      const created = !stored.has(name);
      stored.set(name, value);
      return { created, secretId: `attune/dev/${name}` };
    },
    list: async () => [...stored.keys(), '_api-keys', '_kv/system/x', '_params/e1'].sort(),
  };
  return { stored, ...setup({ secrets }) };
}

describe('PUT /v1/secrets/{name}', () => {
  it('creates, then updates, a secret and answers where without the value', async () => {
    // Prepare
    const { call, stored } = withSecrets();
    // Act
    const first = await call('PUT', '/v1/secrets/github/token', { json: { value: 'ghp-first-value' } });
    const second = await call('PUT', '/v1/secrets/github/token', { json: { value: 'ghp-second-value' } });
    // Assess
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const [a, b] = [await first.text(), await second.text()];
    expect(JSON.parse(a)).toEqual({ name: 'github/token', secretId: 'attune/dev/github/token', created: true });
    expect(JSON.parse(b)).toEqual({ name: 'github/token', secretId: 'attune/dev/github/token', created: false });
    expect(a + b).not.toContain('ghp-');
    expect(stored.get('github/token')).toBe('ghp-second-value');
  });

  it.each([
    ['a//b', 'contain "//"'],
    ['_api-keys', 'names starting with "_" are the engine\'s own'],
    ['has space', 'expected 1-200 characters'],
    ['x:y', 'expected 1-200 characters'],
  ])('refuses the name %j with a 400 naming the field', async (name, problem) => {
    // Prepare
    const { call, stored } = withSecrets();
    // Act
    const res = await call('PUT', `/v1/secrets/${name.split('/').map(encodeURIComponent).join('/')}`, { json: { value: 'v-12345' } });
    // Assess
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 'invalid_request', field: 'name' });
    expect(error.message).toContain(problem);
    expect(stored.size).toBe(0);
  });

  it('quotes at most 80 characters of a hostile name', async () => {
    // Act
    const res = await withSecrets().call('PUT', `/v1/secrets/${'%20'.repeat(5000)}`, { json: { value: 'v-12345' } });
    // Assess
    const error = await errorOf(res);
    expect(error.field).toBe('name');
    expect(error.message.length).toBeLessThan(250);
  });

  it('never quotes a body that is not JSON, nor a value of the wrong type', async () => {
    // Prepare
    const { call } = withSecrets();
    // Act
    const broken = await call('PUT', '/v1/secrets/db/pw', { body: '{"value": hunter2-secret}', headers: { 'content-type': 'application/json' } });
    const number = await call('PUT', '/v1/secrets/db/pw', { json: { value: 4242424242 } });
    const empty = await call('PUT', '/v1/secrets/db/pw', { json: { value: '' } });
    const extra = await call('PUT', '/v1/secrets/db/pw', { json: { value: 'v-1', secret: true } });
    // Assess
    const brokenError = await errorOf(broken);
    expect(brokenError.code).toBe('invalid_json');
    expect(brokenError.message).not.toContain('hunter2');
    expect(await errorOf(number)).toMatchObject({ field: 'value', message: 'body field "value": expected the secret value as a string' });
    expect(await errorOf(empty)).toMatchObject({ field: 'value', message: 'body field "value": must not be empty' });
    expect(await errorOf(extra)).toMatchObject({ field: 'secret' });
  });

  it('answers 415 for a body that is not JSON by type, and 401 without an API key', async () => {
    // Prepare
    const { call, stored } = withSecrets();
    // Act
    const text = await call('PUT', '/v1/secrets/db/pw', { body: 'hunter2', headers: { 'content-type': 'text/plain' } });
    const anonymous = await call('PUT', '/v1/secrets/db/pw', { json: { value: 'hunter2' }, key: null });
    // Assess
    expect(text.status).toBe(415);
    expect(anonymous.status).toBe(401);
    expect(stored.size).toBe(0);
  });

  it('answers a store failure as the internal error, logging neither the value nor the answer', async () => {
    // Prepare
    const { call, logged } = withSecrets({ failPut: true });
    // Act
    const res = await call('PUT', '/v1/secrets/db/pw', { json: { value: 'hunter2-value' } });
    // Assess
    expect(res.status).toBe(500);
    expect(await errorOf(res)).toEqual({ code: 'internal', message: 'internal error; see the API logs' });
    expect(String(logged[0])).toContain('storing secret "db/pw" failed');
    expect(JSON.stringify(logged)).not.toContain('hunter2');
  });
});

describe('GET /v1/secrets', () => {
  it('lists the operator\'s names, not the engine\'s own, and no value', async () => {
    // Prepare
    const { call } = withSecrets();
    await call('PUT', '/v1/secrets/b/two', { json: { value: 'value-two' } });
    await call('PUT', '/v1/secrets/a/one', { json: { value: 'value-one' } });
    // Act
    const res = await call('GET', '/v1/secrets');
    // Assess
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ items: ['a/one', 'b/two'] });
    expect(text).not.toContain('value-');
  });

  it('is not served when the API has no secret store', async () => {
    // Act
    const res = await setup().call('GET', '/v1/secrets');
    // Assess
    expect(res.status).toBe(404);
  });
});

describe('POST /v1/sealing-key/rotate', () => {
  it('rotates through the engine\'s secret store and answers key ids, never a key', async () => {
    // Prepare: one version of the key, as Secrets Manager would hold it.
    const keyText = 'k'.repeat(20) + 'sealing-key-text-0001';
    const versions = [{ versionId: 'v1', value: keyText, stages: ['AWSCURRENT'] }];
    const secrets = {
      put: async () => ({ created: true, secretId: 'x' }),
      list: async () => [],
      prefix: 'attune/dev/',
      readById: async () => versions.find((v) => v.stages.includes('AWSCURRENT'))!.value,
      create: async () => false,
      versionsOf: async () => ({ current: { value: versions[0]!.value, versionId: 'v1' }, versions: versions.map((v) => ({ versionId: v.versionId, stages: [...v.stages] })) }),
      labelVersion: async (_id: string, stage: string, versionId: string) => void versions.find((v) => v.versionId === versionId)!.stages.push(stage),
      putVersion: async (_id: string, value: string, labels: string[] = []) => {
        versions[0]!.stages = versions[0]!.stages.filter((s) => s !== 'AWSCURRENT').concat('AWSPREVIOUS');
        versions.push({ versionId: 'v2', value, stages: ['AWSCURRENT', ...labels] });
        return 'v2';
      },
    };
    const { call } = setup({ secrets });
    // Act
    const res = await call('POST', '/v1/sealing-key/rotate');
    // Assess
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { previousKeyId: string; keyId: string; retained: string[] };
    expect(body.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(body.retained.sort()).toEqual([body.previousKeyId, body.keyId].sort());
    expect(text).not.toContain(keyText);
    expect(text).not.toContain(versions[1]!.value);
    expect(versions[1]!.stages).toEqual(['AWSCURRENT', `k-${body.keyId}`]);
  });
});
