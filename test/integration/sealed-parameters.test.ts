import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEALING_KEY_SECRET, sealedParametersName } from '../../engine/contract/index.ts';
import { EnvelopeInvalid, SecretStore, envelopeKeyId, unsealParameters } from '../../engine/secrets/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { awsClients } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

/**
 * Secret parameters sealed into the execution's own record (envelope encryption under the stage's
 * key) on the real stack: the worker opens them, a re-run re-seals them, and Secrets Manager holds
 * one key for the stage instead of one secret per execution.
 */
let t: TestEngine;
let secrets: SecretStore;

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('vault-pack')] });
  secrets = new SecretStore({ client: awsClients().secrets, prefix: t.engine.config.secretPrefix, cacheTtlMs: 0 });
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The stored execution items by id, as DynamoDB holds them. */
async function storedItems(): Promise<Map<string, Record<string, unknown>>> {
  const out = await awsClients().ddb.send(new ScanCommand({ TableName: t.engine.config.executionsTable }));
  return new Map((out.Items ?? []).map((item) => [String(item.id), item]));
}

describe('sealed parameters on the real stack', () => {
  it('runs and re-runs executions with secret parameters, each sealed in its own record, creating no secret per execution', { timeout: 120_000 }, async () => {
    // Prepare
    const passwords = [0, 1, 2].map(() => `pw-${randomBytes(12).toString('hex')}`);
    const before = await secrets.list();
    // Act
    const runs = [];
    for (const password of passwords) runs.push(await finished(t.client, (await t.client.createExecution('vault.param_leak', { password, user: 'ada' })).id));
    const rerun = await finished(t.client, (await t.client.rerunExecution(runs[0]!.id)).id);
    // Assess
    for (const [i, e] of runs.entries()) {
      expect(e.status).toBe('succeeded');
      expect(e.result).toEqual({ sha256: sha256(passwords[i]!) });
    }
    expect(rerun.status).toBe('succeeded');
    expect(rerun.result).toEqual({ sha256: sha256(passwords[0]!) });
    const items = await storedItems();
    for (const e of [...runs, rerun]) {
      const item = items.get(e.id)!;
      expect(item.sealedParameters).toMatch(/^attune-sealed:v2\.[0-9a-f]{16}\./);
      expect(item.secretParameters).toBeUndefined();
      expect(item.parameters).toEqual({ password: '********', user: 'ada' });
      // The envelope goes with the record: it expires by the table's TTL, 90 days after its end.
      expect(item.expiresAt).toBe(Math.floor(Date.parse(String(item.endedAt)) / 1000) + 90 * 86_400);
    }
    // A re-run seals again under a fresh data key: its envelope is not the original's.
    expect(items.get(rerun.id)!.sealedParameters).not.toBe(items.get(runs[0]!.id)!.sealedParameters);
    const text = JSON.stringify([...items.values()]);
    for (const password of passwords) expect(text).not.toContain(password);
    const after = await secrets.list();
    expect(after.filter((name) => name.startsWith('_params/'))).toEqual([]);
    expect(after.filter((name) => !before.includes(name))).toEqual(before.includes(SEALING_KEY_SECRET) ? [] : [SEALING_KEY_SECRET]);
  });

  it('still opens an execution sealed the old way, in a secret of its own, and re-runs it sealed the new way', { timeout: 60_000 }, async () => {
    // Prepare: a finished execution as it was stored before envelopes.
    const password = `old-${randomBytes(12).toString('hex')}`;
    const id = randomUUID();
    await secrets.put(sealedParametersName(id), JSON.stringify({ password }));
    const stores = createStores(awsClients(), t.engine.config);
    const now = new Date().toISOString();
    await stores.executions.create({
      id,
      action: 'vault.param_leak',
      status: 'succeeded',
      parameters: { password: '********', user: 'grace' },
      secretParameters: sealedParametersName(id),
      policyKey: 'vault.param_leak',
      limit: null,
      onLimit: 'delay',
      attempt: 1,
      createdAt: now,
      endedAt: now,
      listKey: 'execution',
    });
    // Act
    const rerun = await finished(t.client, (await t.client.rerunExecution(id)).id);
    // Assess
    expect(rerun.status).toBe('succeeded');
    expect(rerun.result).toEqual({ sha256: sha256(password) });
    const item = (await storedItems()).get(rerun.id)!;
    expect(item.sealedParameters).toMatch(/^attune-sealed:v2\.[0-9a-f]{16}\./);
    expect(item.secretParameters).toBeUndefined();
  });

  it('opens executions sealed under the keys of two rotations ago, seals under the new key, and refuses an envelope moved into another record', { timeout: 180_000 }, async () => {
    // Prepare: one execution sealed under the key before the rotations.
    const passwords = [0, 1].map(() => `rot-${randomBytes(12).toString('hex')}`);
    const first = await finished(t.client, (await t.client.createExecution('vault.param_leak', { password: passwords[0], user: 'ada' })).id);
    // Act
    const one = await t.client.rotateSealingKey();
    const second = await finished(t.client, (await t.client.createExecution('vault.param_leak', { password: passwords[1], user: 'ada' })).id);
    const two = await t.client.rotateSealingKey();
    const reruns = [];
    for (const e of [first, second]) reruns.push(await finished(t.client, (await t.client.rerunExecution(e.id)).id));
    // Assess: each envelope names the key current when it was sealed, and every one opened.
    const items = await storedItems();
    const keyOf = (id: string) => envelopeKeyId(String(items.get(id)!.sealedParameters));
    expect([keyOf(first.id), keyOf(second.id)]).toEqual([one.previousKeyId, one.keyId]);
    expect(two.previousKeyId).toBe(one.keyId);
    expect(two.retained).toEqual(expect.arrayContaining([one.previousKeyId, one.keyId, two.keyId]));
    for (const [i, rerun] of reruns.entries()) {
      expect(rerun.status).toBe('succeeded');
      expect(rerun.result).toEqual({ sha256: sha256(passwords[i]!) });
      expect(keyOf(rerun.id)).toBe(two.keyId);
    }
    // No key in the answers.
    const keyText = await secrets.readById(`${t.engine.config.secretPrefix}${SEALING_KEY_SECRET}`);
    expect(JSON.stringify([one, two])).not.toContain(keyText);
    // An envelope copied into another execution's record does not open there.
    const stores = createStores(awsClients(), t.engine.config);
    const moved = { id: randomUUID(), parameters: { password: '********', user: 'eve' }, sealedParameters: String(items.get(first.id)!.sealedParameters) };
    const error = await unsealParameters(stores.secrets, moved).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(EnvelopeInvalid);
    expect((error as Error).message).toBe(`sealed parameters of execution ${moved.id} cannot be opened: its data key does not authenticate: it was altered, or sealed for another execution`);
    expect(await unsealParameters(stores.secrets, { ...moved, id: first.id })).toEqual({ password: passwords[0], user: 'eve' });
  });
});
