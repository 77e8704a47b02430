import { execa, type ResultPromise } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, eventually } from '../integration/support.ts';

// `attune secret set` in a second terminal against `npm start`, as the README shows it: run from the
// project directory (the API key in .attune/api-key), with no AWS setting in its environment.

const root = fileURLToPath(new URL('../..', import.meta.url));
const stage = `s${randomBytes(4).toString('hex')}`;
const value = `tok-${randomBytes(12).toString('hex')}`;
let port: number;
let dev: ResultPromise;
let output = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return p;
}

/** A user's shell: PATH and HOME, the engine's address (not the default port on a shared machine), nothing else. */
function userShellEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ATTUNE_URL: `http://127.0.0.1:${port}` };
}

/** `npx attune …` from the project directory, stdin piped as `printf '%s' "$TOKEN" | …` does. */
const attune = (args: string[], input?: string) =>
  execa(process.execPath, ['cli/attune.ts', ...args], { cwd: root, reject: false, extendEnv: false, env: userShellEnv(), ...(input === undefined ? {} : { input }) });

beforeAll(async () => {
  port = await freePort();
  const { ATTUNE_REQUIRE_LOCAL_AWS: _local, ATTUNE_API_KEY: _key, ...userEnv } = process.env;
  dev = execa('npm', ['start'], {
    cwd: root,
    reject: false,
    extendEnv: false,
    detached: true,
    env: { ...userEnv, ATTUNE_PORT: String(port), ATTUNE_STAGE: stage, ATTUNE_WORKERS: '1' },
  });
  dev.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  dev.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await eventually(async () => (output.includes('Attune is running at') ? true : undefined), 120_000, 250);
});

afterAll(async () => {
  if (dev) {
    process.kill(-(dev.pid as number), 'SIGINT');
    await dev;
  }
  await awsClients().secrets.send(new DeleteSecretCommand({ SecretId: `attune/${stage}/e2e/token`, ForceDeleteWithoutRecovery: true })).catch(() => undefined);
});

describe('attune secret set against npm start, with no AWS setting', () => {
  it('stores the piped value through the API, lists its name, and an action reads it', async () => {
    // Act
    const set = await attune(['secret', 'set', 'e2e/token'], value);
    const again = await attune(['secret', 'set', 'e2e/token'], `${value}\n`);
    const list = await attune(['secret', 'list']);
    const register = await attune(['pack', 'register', 'test/fixtures/secret-set-pack']);
    const run = await attune(['run', 'secret_set.token_hash']);
    // Assess
    expect(set.stderr).toBe('');
    expect([set.exitCode, again.exitCode, list.exitCode, register.exitCode]).toEqual([0, 0, 0, 0]);
    expect(set.stdout).toBe(`created secret e2e/token (attune/${stage}/e2e/token)`);
    expect(again.stdout).toBe(`updated secret e2e/token (attune/${stage}/e2e/token)`);
    expect(list.stdout.split('\n')).toContain('e2e/token');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded', result: { result: { token_sha256: createHash('sha256').update(value).digest('hex') } } });
    expect(run.exitCode).toBe(0);
    for (const text of [set.stdout, again.stdout, list.stdout, run.stdout, output]) expect(text).not.toContain(value);
  });

  it('refuses a bad name with the field named, and reads no value', async () => {
    // Act
    const reserved = await attune(['secret', 'set', '_api-keys'], 'x-value');
    // Assess
    expect(reserved.exitCode).toBe(2);
    expect(reserved.stderr).toContain('invalid secret name "_api-keys"');
  });

  it('serves the OpenAPI document and the reference without a key', async () => {
    // Act
    const doc = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`);
    const page = await fetch(`http://127.0.0.1:${port}/docs`);
    // Assess
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('PUT /v1/secrets/{name}');
  });
});
