import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPack } from '../../../engine/packs/index.ts';
import type { Pack } from '../../../engine/packs/index.ts';
import { BundleRefused, extractToTemp } from '../../../engine/registry/bundle.ts';
import type { BundleLimits } from '../../../engine/registry/bundle.ts';
import { VALID_PACK, rawBundle, rawTar, type RawEntry } from './raw-tar.ts';

const CANARY = `canary-${Math.random().toString(36).slice(2)}`;
let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'attune-bundle-test-'));
  process.env['ATTUNE_TEST_CANARY'] = CANARY;
});
afterEach(async () => {
  delete process.env['ATTUNE_TEST_CANARY'];
  await rm(temp, { recursive: true, force: true });
});

/** What registration does before it stores anything: extract, then load; the pack if both pass. */
async function register(bundle: Uint8Array, limits?: Partial<BundleLimits>): Promise<Pack> {
  const extracted = await extractToTemp(bundle, { tempDir: temp, ...(limits ? { limits } : {}) });
  try {
    return await loadPack(extracted.root);
  } finally {
    await extracted.dispose();
  }
}

/** Registers a bundle that must be refused; returns the error after checking it leaks nothing. */
async function refused(bundle: Uint8Array, limits?: Partial<BundleLimits>): Promise<BundleRefused> {
  const error = await register(bundle, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BundleRefused);
  const e = error as BundleRefused;
  expect(e.code).toBe('invalid_bundle');
  expect(e.status).toBe(400);
  for (const leak of [CANARY, temp, tmpdir(), 'ENOTEMPTY']) expect(e.message).not.toContain(leak);
  expect(await readdir(temp)).toEqual([]);
  return e;
}

const DEEP = 'd1/d2/d3/d4/d5/d6';
/** The chain that resolves textually inside the pack but, followed, reaches the server's root. */
const LINK_CHAIN: RawEntry[] = [
  { path: DEEP, type: 'Directory' },
  { path: `${DEEP}/l`, type: 'SymbolicLink', linkpath: '../../../../../..' },
  { path: 'e', type: 'SymbolicLink', linkpath: `${DEEP}/l/../../../../../..` },
];

describe('extractToTemp refuses what a pack never needs', () => {
  it('refuses the link chain that made pack.yaml the server environment, naming the first link', async () => {
    // Prepare
    const bundle = rawBundle([...LINK_CHAIN, { path: 'pack.yaml', type: 'SymbolicLink', linkpath: 'e/../proc/self/environ' }]);
    // Act
    const error = await refused(bundle);
    // Assess
    expect(error.message).toBe(`entry "${DEEP}/l" is a symbolic link: a pack bundle holds regular files and directories only`);
    expect(error.field).toBe('bundle');
  });

  it('refuses a requirements.txt that links out, so no server file reaches the registry', async () => {
    // Prepare
    const bundle = rawBundle([...VALID_PACK, { path: 'requirements.txt', type: 'SymbolicLink', linkpath: '/proc/self/environ' }]);
    // Act
    const error = await refused(bundle);
    // Assess
    expect(error.message).toContain('entry "requirements.txt" is a symbolic link');
  });

  it('refuses a hard link, a FIFO and devices by name and type', async () => {
    // Prepare
    const cases: [RawEntry, string][] = [
      [{ path: 'actions/x.sh', type: 'Link', linkpath: 'actions/run.sh' }, 'entry "actions/x.sh" is a hard link'],
      [{ path: 'fifo', type: 'FIFO' }, 'entry "fifo" is a FIFO'],
      [{ path: 'null', type: 'CharacterDevice' }, 'entry "null" is a character device'],
      [{ path: 'disk', type: 'BlockDevice' }, 'entry "disk" is a block device'],
    ];
    for (const [entry, expected] of cases) {
      // Act
      const error = await refused(rawBundle([...VALID_PACK, entry]));
      // Assess
      expect(error.message).toContain(expected);
    }
  });

  it('refuses absolute paths and .. segments, naming the entry', async () => {
    for (const path of ['/etc/cron.d/x', '../outside', 'actions/../../outside']) {
      // Act
      const error = await refused(rawBundle([...VALID_PACK, { path, body: 'x' }]));
      // Assess
      expect(error.message).toContain(`entry ${JSON.stringify(path)}`);
    }
  });

  it('refuses a path that appears twice instead of overwriting the first', async () => {
    // Act
    const error = await refused(rawBundle([...VALID_PACK, { path: 'actions/run.sh', body: 'rm -rf ~\n' }]));
    // Assess
    expect(error.message).toBe('entry "actions/run.sh" appears twice in the bundle');
  });
});

describe('extractToTemp bounds what it writes', () => {
  it('refuses a file whose header declares more than the per-file limit, before writing a byte', async () => {
    // Prepare: a 1 GiB header over a few bytes, as a compressed bomb starts
    const bundle = rawBundle([...VALID_PACK, { path: 'big.bin', size: 2 ** 30, body: '' }], { end: false });
    // Act
    const error = await refused(bundle);
    // Assess
    expect(error.message).toMatch(/^entry "big\.bin" holds 1073741824 bytes: a pack file may hold at most \d+ bytes$/);
  });

  it('stops at the total byte limit and leaves nothing behind', async () => {
    // Prepare: 1 MiB of zeros compresses to about 1 KiB
    const files = Array.from({ length: 8 }, (_, i): RawEntry => ({ path: `blob${i}`, body: Buffer.alloc(1024 * 1024) }));
    const bundle = rawBundle([...VALID_PACK, ...files]);
    expect(bundle.length).toBeLessThan(64 * 1024);
    // Act
    const error = await refused(bundle, { maxTotalBytes: 4 * 1024 * 1024 });
    // Assess
    expect(error.message).toBe('the bundle holds more than 4194304 bytes once unpacked: a pack may hold at most 4194304 bytes');
  });

  it('stops at the entry limit', async () => {
    // Prepare
    const files = Array.from({ length: 20 }, (_, i): RawEntry => ({ path: `actions/f${i}.txt`, body: 'x' }));
    // Act
    const error = await refused(rawBundle([...VALID_PACK, ...files]), { maxEntries: 10 });
    // Assess
    expect(error.message).toBe('the bundle holds more than 10 entries: a pack may hold at most 10');
  });

  it('stops decompressing a stream of zeros past the end of the archive', async () => {
    // Prepare: a valid pack followed by 64 MiB of zero blocks (tar readers skip them)
    const bundle = new Uint8Array(gzipSync(Buffer.concat([rawTar(VALID_PACK), Buffer.alloc(64 * 1024 * 1024)])));
    // Act
    const error = await refused(bundle, { maxTotalBytes: 1024 * 1024, maxEntries: 100 });
    // Assess
    expect(error.message).toMatch(/^the bundle unpacks to more than \d+ bytes of archive/);
  });

  it('answers a bundle that is not gzip or tar without quoting the server', async () => {
    for (const text of ['\x1f\x8b\x08 not really gzip at all, sorry', 'plain text, not a tar']) {
      // Act
      const error = await refused(new Uint8Array(Buffer.from(text)));
      // Assess
      expect(error.message).toMatch(/^the bundle is not a (gzip tar|valid tar) archive: /);
    }
  });

  it('refuses a gzip inside the gzip, which would unpack past the counted bytes', async () => {
    // Act
    const error = await refused(new Uint8Array(gzipSync(gzipSync(rawTar(VALID_PACK)))));
    // Assess
    expect(error.message).toBe('the bundle is compressed twice: send one gzip tar archive');
  });
});

describe('extractToTemp writes plain files', () => {
  it('drops setuid, setgid and sticky bits and keeps the executable bit', async () => {
    // Prepare
    const bundle = rawBundle([
      ...VALID_PACK.filter((e) => e.path !== 'actions/run.sh'),
      { path: 'actions/run.sh', body: 'echo hi\n', mode: 0o4755 },
      { path: 'actions/lib', type: 'Directory', mode: 0o3777 },
      { path: 'actions/lib/data.txt', body: 'x', mode: 0o2666 },
      { path: 'locked', type: 'Directory', mode: 0o000 },
      { path: 'locked/inside.txt', body: 'x', mode: 0o000 },
    ]);
    // Act
    const extracted = await extractToTemp(bundle, { tempDir: temp });
    try {
      const mode = async (p: string) => (await stat(join(extracted.root, p))).mode & 0o7777;
      // Assess
      expect(await mode('actions/run.sh')).toBe(0o755);
      expect(await mode('actions/lib')).toBe(0o755);
      expect(await mode('actions/lib/data.txt')).toBe(0o644);
      expect(await mode('locked')).toBe(0o755);
      expect(await mode('locked/inside.txt')).toBe(0o644);
      expect((await loadPack(extracted.root)).actions.map((a) => a.ref)).toEqual(['hostile.run']);
    } finally {
      await extracted.dispose();
    }
    expect(await readdir(temp)).toEqual([]);
  });

  it('finds the pack in a single top folder, as `tar czf x.tgz mypack/` makes it', async () => {
    // Prepare
    const bundle = rawBundle([{ path: 'mypack', type: 'Directory' }, ...VALID_PACK.map((e) => ({ ...e, path: `mypack/${e.path}` }))]);
    // Act
    const pack = await register(bundle);
    // Assess
    expect(pack.meta.ref).toBe('hostile');
    expect(await readdir(temp)).toEqual([]);
  });

  it('takes a pack the size of the largest Exchange packs well within the default limits', async () => {
    // Prepare: 300 actions (metadata and a 20 KiB script each), a vendored library of 2 MiB files
    const actions = Array.from({ length: 300 }, (_, i): RawEntry[] => [
      { path: `actions/a${i}.yaml`, body: `name: a${i}\nrunner_type: python-script\nentry_point: a${i}.py\n` },
      { path: `actions/a${i}.py`, body: Buffer.alloc(20 * 1024, 'x') },
    ]).flat();
    const vendored = Array.from({ length: 10 }, (_, i): RawEntry => ({ path: `actions/lib/vendor/blob${i}.bin`, body: Buffer.alloc(2 * 1024 * 1024, i) }));
    const bundle = rawBundle([...VALID_PACK, { path: 'actions/lib', type: 'Directory' }, { path: 'actions/lib/vendor', type: 'Directory' }, ...actions, ...vendored]);
    // Act
    const pack = await register(bundle);
    // Assess
    expect(pack.actions).toHaveLength(301);
    expect(await readdir(temp)).toEqual([]);
  });
});
