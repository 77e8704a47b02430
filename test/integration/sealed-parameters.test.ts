import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEALING_KEY_SECRET, sealedParametersName } from '../../engine/contract/index.ts';
import { SecretStore } from '../../engine/secrets/index.ts';
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
      expect(item.sealedParameters).toMatch(/^attune-sealed:v1\./);
      expect(item.secretParameters).toBeUndefined();
      expect(item.parameters).toEqual({ password: '********', user: 'ada' });
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
    expect(item.sealedParameters).toMatch(/^attune-sealed:v1\./);
    expect(item.secretParameters).toBeUndefined();
  });
});
