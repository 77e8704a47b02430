import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../cli/index.ts';
import { awsClients } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const yaml = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('config-pack')] });
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** Runs `attune <argv>` in-process against the test engine; answers the exit code and what it printed. */
async function attune(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (chunk) => void (stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')),
    err: (chunk) => void (stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')),
    env: { ATTUNE_URL: t.engine.url, ATTUNE_API_KEY: t.apiKey },
    cwd: t.root,
    sleep: async () => undefined,
    now: () => Date.now(),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Runs confpack.whoami and answers the finished execution and its stdout. */
async function runWhoami() {
  const { id } = await t.client.createExecution('confpack.whoami', {});
  const execution = await finished(t.client, id, 60_000);
  return { execution, stdout: new TextDecoder().decode(await t.client.readOutput(id, 'stdout')) };
}

describe('pack config: config.schema.yaml, the operator\'s config and self.config', () => {
  it('fails an st2 action that needs a secret config key while no config is stored', { timeout: 120_000 }, async () => {
    // Act
    const { execution } = await runWhoami();
    // Assess: defaults alone reach the action; the required secret is missing.
    expect(execution.status).toBe('failed');
    expect(JSON.stringify(execution.result ?? execution.error)).toContain('api_token');
  });

  it('gives self.config the defaults, the operator\'s values and the secret, masked in output, result and GET', { timeout: 120_000 }, async () => {
    // Prepare
    const token = `tok-${randomBytes(16).toString('hex')}`;
    const file = join(t.root, 'confpack.yaml');
    await writeFile(file, `---\napi_token: "${token}"\napi_pin: 4321\ntimeout: 7\nproxy:\n  port: 8080\nextra_setting: kept\n`);
    // Act
    const set = await attune(['pack', 'config', 'set', 'confpack', file]);
    const { execution, stdout } = await runWhoami();
    const got = await t.client.getPackConfig('confpack');
    const cliGet = await attune(['pack', 'config', 'get', 'confpack']);
    // Assess
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toContain('api_token: "********"');
    expect(execution.status).toBe('succeeded');
    expect(execution.result).toEqual({
      url: 'https://api.example.test/v2/me',
      timeout: 7,
      verify_ssl: true,
      proxy: 'proxy.internal:8080',
      token_sha256: sha256(token),
      echo: '********',
      pin_doubled: 8642,
    });
    expect(stdout).toContain('GET https://api.example.test/v2/me with Authorization: Bearer ********');
    expect(stdout).not.toContain(token);
    expect(got.config).toEqual({ api_token: '********', api_pin: '********', timeout: 7, proxy: { port: 8080 }, extra_setting: 'kept' });
    expect(cliGet.stdout).toContain('api_token: "********"');
    expect(cliGet.stdout).not.toContain(token);
    const items = await awsClients().ddb.send(new ScanCommand({ TableName: t.engine.config.registryTable }));
    expect(JSON.stringify(items.Items)).not.toContain(token);
  });

  it('refuses a config against the schema naming the field, and keeps the stored one whole', { timeout: 120_000 }, async () => {
    // Prepare
    const before = await t.client.getPackConfig('confpack');
    // Act
    const refused = await t.client.putPackConfig('confpack', yaml('api_url: 42\napi_token: another-token-value\n')).catch((e: unknown) => e as Error & { status?: number; field?: string });
    const after = await t.client.getPackConfig('confpack');
    // Assess
    expect(refused).toMatchObject({ status: 400, field: 'config.api_url' });
    expect((refused as Error).message).toContain('config.api_url: expected a string, received integer 42');
    expect((refused as Error).message).not.toContain('another-token-value');
    expect(after).toEqual(before);
  });

  it('keeps a secret sent back masked (an integer one too), and runs the next action with a new secret at once', { timeout: 120_000 }, async () => {
    // Prepare
    const first = await runWhoami();
    const token = `tok2-${randomBytes(16).toString('hex')}`;
    // Act: the masked config read back and put again keeps the stored token ...
    await t.client.putPackConfig('confpack', yaml(JSON.stringify({ ...(await t.client.getPackConfig('confpack')).config, timeout: 9 })));
    const kept = await runWhoami();
    // ... and a new token reaches the very next run, whatever the worker had cached.
    await t.client.putPackConfig('confpack', yaml(JSON.stringify({ api_token: token })));
    const changed = await runWhoami();
    // Assess
    expect(kept.execution.status).toBe('succeeded');
    expect(kept.execution.result).toMatchObject({ timeout: 9, pin_doubled: 8642, token_sha256: (first.execution.result as { token_sha256: string }).token_sha256 });
    expect(changed.execution.result).toMatchObject({ pin_doubled: 0, timeout: 30, proxy: 'proxy.internal:3128', token_sha256: sha256(token), echo: '********' });
    expect(changed.stdout).not.toContain(token);
  });

  it('answers 404 for the config of a pack that is not registered', async () => {
    // Act
    const error = await t.client.getPackConfig('nosuchpack').catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ status: 404, code: 'unknown_pack' });
  });
});
