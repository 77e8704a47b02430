import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY_FILE_ENV, apiKeyCheckerFromEnv } from '../../../engine/service/index.ts';
import { errorOf, setup } from './helpers.ts';

const noSecrets = { readById: (): Promise<string> => Promise.reject(new Error('no secret in this test')) };

describe('API keys are re-read, and a failed read is not kept', () => {
  let dir: string;
  let file: string;
  let clock: number;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attune-keys-'));
    file = join(dir, 'api-key');
    clock = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a rotated key and refuses the old one once the TTL has passed, without a restart', async () => {
    // Prepare
    await writeFile(file, 'old-key\n');
    const check = apiKeyCheckerFromEnv(noSecrets, { [API_KEY_FILE_ENV]: file }, { ttlMs: 1_000, now: () => clock });
    expect(await check('old-key')).toBe(true);
    // Act
    await writeFile(file, 'new-key\n');
    const beforeTtl = [await check('old-key'), await check('new-key')];
    clock = 1_000;
    const afterTtl = [await check('old-key'), await check('new-key')];
    // Assess
    expect(beforeTtl).toEqual([true, false]);
    expect(afterTtl).toEqual([false, true]);
  });

  it('reads again on the next request after a read that failed', async () => {
    // Prepare: the key file is not there yet
    const check = apiKeyCheckerFromEnv(noSecrets, { [API_KEY_FILE_ENV]: file }, { ttlMs: 60_000, now: () => clock });
    await expect(check('k1')).rejects.toThrow(/ENOENT/);
    // Act
    await writeFile(file, 'k1\n');
    // Assess: well within the TTL, yet the failure was not kept
    expect(await check('k1')).toBe(true);
  });
});

describe('a malformed JSON body is described, never quoted', () => {
  it('answers invalid_json with its length (and position where known), without the body', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const res = await call('POST', '/v1/executions', { body: '{"trigger": hunter2}', headers: { 'content-type': 'application/json' } });
    // Assess
    const error = await errorOf(res);
    expect(res.status).toBe(400);
    expect(error.code).toBe('invalid_json');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toMatch(/^request body is not valid JSON.*20 characters\)$/);
  });
});
