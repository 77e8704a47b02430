import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryKeyValues } from './memory-kv.ts';
import { runWithDatastore } from './run-with-datastore.ts';

const SECRET = 'db-pass-Zq81x';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('action_service datastore calls from a st2 Python action', () => {
  it('sets, gets, lists and deletes local keys named <pack>.<Class>:<name>, as st2 names them', async () => {
    // Prepare
    const kv = new MemoryKeyValues();
    await kv.put('db_password', { value: SECRET, secret: true });
    // Act
    const run = await runWithDatastore('roundtrip.py', { secret_key: 'db_password' }, kv);
    // Assess
    expect(run.status).toBe('succeeded');
    expect(run.result).toMatchObject({
      stored: true,
      local_counter: '42',
      global_counter: null,
      note: 'shared',
      missing: null,
      listed: [
        ['st2_kv.Roundtrip:counter', '42', false],
        ['st2_kv.Roundtrip:token', '********', true],
      ],
      listed_prefix: ['st2_kv.Roundtrip:counter'],
      token_masked: '********',
      user_scope: 'Scope user is unsupported.',
      deleted: true,
      deleted_again: false,
      after_delete: null,
    });
    expect([...kv.keys.keys()].sort()).toEqual(['db_password', 'note']);
    expect(kv.keys.get('note')).toMatchObject({ value: 'shared', ttl: 3600 });
  });

  it('answers a secret key masked, and in clear only with decrypt=True', async () => {
    // Prepare
    const kv = new MemoryKeyValues();
    await kv.put('db_password', { value: SECRET, secret: true });
    // Act
    const run = await runWithDatastore('roundtrip.py', { secret_key: 'db_password' }, kv);
    // Assess
    expect(run.result).toMatchObject({ secret_masked: '********', secret_sha256: sha256(SECRET) });
  });

  it('masks a secret value the action read while it ran, in its logs, and logs names only', async () => {
    // Prepare
    const kv = new MemoryKeyValues();
    await kv.put('db_password', { value: SECRET, secret: true });
    // Act
    const run = await runWithDatastore('roundtrip.py', { secret_key: 'db_password' }, kv);
    // Assess
    expect(run.stdout).toBe('the secret is ********\n');
    expect(run.stderr).toContain('Setting value in the datastore (name=st2_kv.Roundtrip:token)');
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr).not.toContain('tok-local-7731');
  });
});

describe('the service channel under hostile requests', () => {
  it('answers unknown operations, bad JSON, non-objects, bad arguments and oversized lines with errors, and keeps serving', async () => {
    // Prepare
    const kv = new MemoryKeyValues();
    const lines = [
      '{"id": 1, "op": "kv.drop_table"}',
      '{"id": 2, "op": "kv.get", "name": ',
      '[1, 2]',
      '{"id": 4, "op": "kv.get", "name": 7}',
      '{"id": 5, "op": "kv.set", "name": "a b", "value": "x"}',
      `{"id": 6, "op": "kv.set", "name": "big", "value": "${'v'.repeat(600 * 1024)}"}`,
      '{"id": 7, "op": "kv.set", "name": "x", "value": "y", "scope": "user"}',
    ];
    // Act
    const run = await runWithDatastore('raw_channel.py', { lines }, kv);
    // Assess
    expect(run.status).toBe('succeeded');
    const answers = run.result as Array<{ id: unknown; ok: boolean; error: { type: string; message: string } }>;
    expect(answers.slice(0, 7).map((a) => [a.id, a.ok, a.error?.type])).toEqual([
      [1, false, 'InvalidServiceRequest'],
      [null, false, 'InvalidRequest'],
      [null, false, 'InvalidRequest'],
      [4, false, 'InvalidServiceRequest'],
      [5, false, 'InvalidKeyValue'],
      [null, false, 'RequestTooLarge'],
      [7, false, 'InvalidServiceRequest'],
    ]);
    expect(answers[0]?.error.message).toBe('op: expected one of kv.get, kv.set, kv.delete, kv.list, received "kv.drop_table"');
    expect(answers[1]?.error.message).toMatch(/^the request \(\d+ bytes\) is not valid JSON/);
    expect(answers[3]?.error.message).toMatch(/^kv\.get: name: .*expected string, received number/);
    expect(answers[5]?.error.message).toBe('a request is larger than 524288 bytes');
    expect(answers[7]).toBe(true);
    expect(kv.keys.size).toBe(0);
  });
});
