import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretStore } from '../../engine/secrets/index.ts';
import { awsClients, eventually } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
const token = `tok-${randomBytes(18).toString('hex')}`;
const forms = [token, Buffer.from(token).toString('base64'), Buffer.from(token).toString('base64url')];

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('vault-pack')], env: { ATTUNE_WORKER_CONCURRENCY: '4' } });
  await new SecretStore({ client: awsClients().secrets, prefix: t.engine.config.secretPrefix }).put('vault/token', token);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** Every process's environment and command line, and `ps auxwwe`, as one text. */
async function processSnapshot(): Promise<string> {
  const parts: string[] = [];
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    for (const file of ['environ', 'cmdline']) parts.push(await readFile(`/proc/${pid}/${file}`, 'latin1').catch(() => ''));
  }
  parts.push((await execa('ps', ['auxwwe'], { reject: false })).stdout);
  return parts.join('\n');
}

const leaks = (text: string) => forms.filter((f) => text.includes(f));

describe('secrets from Secrets Manager reach actions over stdin only, masked everywhere', () => {
  it('gives python, shell and node actions the secret, with none of its forms in any process env or argv, log, result or record', { timeout: 120_000 }, async () => {
    // Prepare
    const release = join(t.root, `release-${Date.now()}`);
    const runs: { action: string; ready: string; id: string }[] = [];
    for (const action of ['vault.py_leak', 'vault.sh_leak', 'vault.node_leak']) {
      const ready = join(t.root, `${action}-${Date.now()}.ready`);
      runs.push({ action, ready, id: (await t.client.createExecution(action, { ready_file: ready, release_file: release })).id });
    }
    // Act: while all three hold the secret, look at every process on the machine.
    await eventually(async () => ((await Promise.all(runs.map((r) => readFile(r.ready).catch(() => undefined)))).every(Boolean) ? true : undefined), 60_000);
    const snapshot = await processSnapshot();
    await execa('touch', [release]);
    const done = await Promise.all(runs.map((r) => finished(t.client, r.id)));
    // Assess
    expect(leaks(snapshot)).toEqual([]);
    const sha = createHash('sha256').update(token).digest('hex');
    for (const execution of done) {
      expect(execution.status).toBe('succeeded');
      // Shell results are st2's {return_code, stdout, ...} plus what the script reported with attune-result.
      const result = execution.action === 'vault.sh_leak' ? (execution.result as { result: unknown }).result : execution.result;
      expect(result).toEqual({ sha256: sha, echo: '********' });
      const stdout = new TextDecoder().decode(await t.client.readOutput(execution.id, 'stdout'));
      expect(stdout).toContain('raw ******** b64 ********');
      expect(leaks(stdout)).toEqual([]);
    }
    const { ddb, s3 } = awsClients();
    for (const table of [t.engine.config.executionsTable, t.engine.config.leasesTable, t.engine.config.eventsTable, t.engine.config.registryTable]) {
      const items = await ddb.send(new ScanCommand({ TableName: table }));
      expect(leaks(JSON.stringify(items.Items))).toEqual([]);
    }
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: t.engine.config.artifactsBucket }));
    for (const o of objects.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: t.engine.config.artifactsBucket, Key: o.Key }))).Body!.transformToByteArray();
      expect(leaks(Buffer.from(body).toString('latin1')), o.Key).toEqual([]);
    }
  });

  it('keeps secret parameters out of the stored record, gives the action their value, masks them, and re-runs', async () => {
    // Prepare
    const password = `pw-${randomBytes(12).toString('hex')}`;
    // Act
    const { id } = await t.client.createExecution('vault.param_leak', { password, user: 'ada' });
    const done = await finished(t.client, id);
    const rerun = await finished(t.client, (await t.client.rerunExecution(id)).id);
    // Assess
    const sha = createHash('sha256').update(password).digest('hex');
    for (const e of [done, rerun]) {
      expect(e.status).toBe('succeeded');
      expect(e.parameters).toEqual({ password: '********', user: 'ada' });
      expect(e.result).toEqual({ sha256: sha });
      expect(new TextDecoder().decode(await t.client.readOutput(e.id, 'stdout'))).toContain('password ******** for ada');
    }
    const items = await awsClients().ddb.send(new ScanCommand({ TableName: t.engine.config.executionsTable }));
    expect(JSON.stringify(items.Items)).not.toContain(password);
  });

  it('fails an execution whose secret is missing before the action starts, naming the secret', async () => {
    const ready = join(t.root, `missing-${Date.now()}.ready`);
    const { id } = await t.client.createExecution('vault.missing', { ready_file: ready, release_file: ready });
    const done = await finished(t.client, id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('vault/does-not-exist');
    await expect(readFile(ready)).rejects.toThrow();
  });
});
