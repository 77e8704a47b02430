import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestFailed } from '../../cli/errors.ts';
import { VALID_PACK, rawBundle, type RawEntry } from '../unit/registry/raw-tar.ts';
import { startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ workers: 0 });
});
afterAll(async () => {
  await t?.stop();
});

/**
 * Registers `bundle` through the HTTP API with the server's temporary directory pointed at a
 * fresh one; returns the refusal and what that directory holds afterwards.
 */
async function register(bundle: Uint8Array): Promise<{ error: ApiRequestFailed; left: string[]; temp: string }> {
  const temp = await mkdtemp(join(tmpdir(), 'attune-hostile-'));
  const saved = process.env['TMPDIR'];
  // The engine under test runs in this process: os.tmpdir() follows TMPDIR on every call.
  process.env['TMPDIR'] = temp;
  try {
    const error = await t.client.registerPack(bundle).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiRequestFailed);
    return { error: error as ApiRequestFailed, left: await readdir(temp), temp };
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
    await rm(temp, { recursive: true, force: true });
  }
}

const DEEP = 'd1/d2/d3/d4/d5/d6';
const LINK_CHAIN: RawEntry[] = [
  { path: DEEP, type: 'Directory' },
  { path: `${DEEP}/l`, type: 'SymbolicLink', linkpath: '../../../../../..' },
  { path: 'e', type: 'SymbolicLink', linkpath: `${DEEP}/l/../../../../../..` },
];

describe('POST /v1/packs with a hostile bundle', () => {
  it('refuses a pack.yaml linked to the server environment, names the link, stores nothing, leaves nothing', async () => {
    // Act
    const { error, left, temp } = await register(rawBundle([...LINK_CHAIN, { path: 'pack.yaml', type: 'SymbolicLink', linkpath: 'e/../proc/self/environ' }]));
    // Assess
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_bundle');
    expect(error.message).toContain(`entry "${DEEP}/l" is a symbolic link`);
    expect(error.message).not.toContain('PATH=');
    expect(error.message).not.toContain(temp);
    expect(left).toEqual([]);
  });

  it('refuses a requirements.txt linked out of the pack: the pack is not registered', async () => {
    // Act
    const { error, left } = await register(rawBundle([...VALID_PACK, { path: 'requirements.txt', type: 'SymbolicLink', linkpath: '/proc/self/environ' }]));
    // Assess
    expect(error.code).toBe('invalid_bundle');
    expect(error.message).toContain('entry "requirements.txt" is a symbolic link');
    expect((await t.client.listPacks()).map((p) => p.ref)).not.toContain('hostile');
    expect(left).toEqual([]);
  });

  it('refuses a compressed bomb before writing it, without ENOTEMPTY or a server path', async () => {
    // Prepare: a valid pack, then a file whose header declares 1 GiB
    const bomb = rawBundle([...VALID_PACK, { path: 'bomb.bin', size: 2 ** 30, body: Buffer.alloc(64 * 1024) }], { end: false });
    // Act
    const { error, left, temp } = await register(bomb);
    // Assess
    expect(error.code).toBe('invalid_bundle');
    expect(error.message).toContain('entry "bomb.bin" holds 1073741824 bytes');
    expect(error.message).not.toContain('ENOTEMPTY');
    expect(error.message).not.toContain(temp);
    expect((await t.client.listPacks()).map((p) => p.ref)).not.toContain('hostile');
    expect(left).toEqual([]);
  });
});
