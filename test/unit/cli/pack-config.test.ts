import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttuneClient } from '../../../cli/client.ts';
import { setPackConfig } from '../../../cli/commands/pack-config.ts';
import type { ApiServer } from '../../../functions/http-api/index.ts';
import type { FakeEngine } from '../http-api/fake-engine.ts';
import { API_KEY, attune, captureIo, startFakeApi } from './helpers.ts';

const SECRET = 'tok-cli-91d3f0';

describe('attune pack config', () => {
  let server: ApiServer;
  let engine: FakeEngine;
  let dir: string;
  beforeAll(async () => {
    ({ server, engine } = await startFakeApi());
    dir = await mkdtemp(join(tmpdir(), 'attune-config-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sets a config from a YAML file and prints it as stored, the secret masked', async () => {
    // Prepare
    const file = join(dir, 'core.yaml');
    await writeFile(file, `api_url: https://x.test\ntoken: ${SECRET}\n`);
    // Act
    const run = await attune(server.url, ['pack', 'config', 'set', 'core', file]);
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('stored the config of pack core\napi_url: https://x.test\ntoken: "********"\n');
    expect(engine.configs.get('core')?.config).toEqual({ api_url: 'https://x.test', token: '********' });
  });

  it('sets a config from stdin with "-"', async () => {
    // Prepare
    const captured = captureIo({});
    const ctx = { io: captured.io, client: async () => new AttuneClient({ url: server.url, apiKey: API_KEY }) };
    // Act
    const code = await setPackConfig(ctx, 'core', '-', { json: true }, Readable.from([Buffer.from(`{"token": "${SECRET}", "timeout": 5}`)]));
    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(captured.stdout())).toMatchObject({ pack: 'core', config: { token: '********', timeout: 5 } });
  });

  it('gets the stored config, secret values masked', async () => {
    // Act
    const run = await attune(server.url, ['pack', 'config', 'get', 'core']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('token: "********"');
    expect(run.stdout).not.toContain(SECRET);
  });

  it('names a missing file as given and a refused field as the API names it', async () => {
    // Prepare
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'api_url: 3\ntoken: t\n');
    // Act
    const missing = await attune(server.url, ['pack', 'config', 'set', 'core', 'no-such.yaml']);
    const refused = await attune(server.url, ['pack', 'config', 'set', 'core', bad]);
    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read config file no-such.yaml: no such file');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('config.api_url: expected a string, received integer 3');
  });
});
