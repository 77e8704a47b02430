import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('st2-kv-pack')] });
});

afterAll(async () => {
  await t?.stop();
});

const SECRET = 'vault-pass-4Kq9z';

describe('action_service on the local stack: a st2 Python action uses the datastore', () => {
  it('sets, gets, lists and deletes keys, reads a secret key with decrypt=True, and never shows its value', async () => {
    // Prepare
    await t.client.putKey('db_password', { value: SECRET, secret: true });
    // Act
    const run = await t.client.createExecution('st2_kv.roundtrip', { secret_key: 'db_password' });
    const done = await finished(t.client, run.id, 60_000);
    const stdout = new TextDecoder().decode(await t.client.readOutput(done.id, 'stdout'));
    const stderr = new TextDecoder().decode(await t.client.readOutput(done.id, 'stderr'));
    const keys = await t.client.listKeys({});
    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({
      stored: true,
      local_counter: '42',
      note: 'shared',
      missing: null,
      listed: [
        ['st2_kv.Roundtrip:counter', '42', false],
        ['st2_kv.Roundtrip:token', '********', true],
      ],
      token_masked: '********',
      secret_masked: '********',
      secret_sha256: createHash('sha256').update(SECRET).digest('hex'),
      deleted: true,
      deleted_again: false,
      after_delete: null,
    });
    expect(stdout).toBe('the secret is ********\n');
    expect(stderr).not.toContain(SECRET);
    expect(keys.items.map((k) => k.name).sort()).toEqual(['db_password', 'note']);
    expect(keys.items.find((k) => k.name === 'note')?.expireTimestamp).toBeDefined();
  });
});
