import { execFileSync } from 'node:child_process';
import { link, lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundlePack } from '../../../cli/bundle.ts';
import { UsageError } from '../../../cli/errors.ts';
import { extractToTemp } from '../../../engine/registry/index.ts';

let dir: string;
let pack: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-bundle-links-'));
  pack = join(dir, 'mypack');
  await mkdir(join(pack, 'actions', 'lib'), { recursive: true });
  await writeFile(join(pack, 'pack.yaml'), 'ref: mypack\nname: mypack\nversion: 1.0.0\ndescription: x\nauthor: t\n');
  await writeFile(join(pack, 'actions', 'lib', 'common.sh'), 'greet() { echo hi; }\n');
  await writeFile(join(dir, 'outside.txt'), 'not part of the pack\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** bundlePack's refusal, which must be a UsageError naming `path` relative to the pack. */
async function refusal(): Promise<string> {
  const error = await bundlePack(pack).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

describe('bundlePack follows no link out of the pack', () => {
  it('refuses a link leading out of the pack, naming it relative to the pack', async () => {
    // Prepare
    await symlink(join(dir, 'outside.txt'), join(pack, 'actions', 'evil.txt'));
    // Act
    const message = await refusal();
    // Assess
    expect(message).toBe(`${pack}: actions/evil.txt is a symbolic link leading out of the pack: copy the file into the pack instead`);
  });

  it('refuses a relative link that climbs out, a link to a directory, and a dangling link', async () => {
    const cases: [string, string][] = [
      ['../../outside.txt', 'actions/up.txt is a symbolic link leading out of the pack'],
      ['lib', 'actions/up.txt is a symbolic link to a directory'],
      ['nowhere.txt', 'actions/up.txt is a symbolic link that leads nowhere'],
    ];
    for (const [target, expected] of cases) {
      // Prepare
      await rm(join(pack, 'actions', 'up.txt'), { force: true });
      await symlink(target, join(pack, 'actions', 'up.txt'));
      // Act
      const message = await refusal();
      // Assess
      expect(message).toContain(expected);
    }
  });

  it('refuses a FIFO in the pack', async () => {
    // Prepare
    execFileSync('mkfifo', [join(pack, 'actions', 'pipe')]);
    // Act
    const message = await refusal();
    // Assess
    expect(message).toContain('actions/pipe is neither a file nor a directory');
  });

  it('bundles a link to a file inside the pack as a copy of that file', async () => {
    // Prepare
    await symlink('lib/common.sh', join(pack, 'actions', 'common.sh'));
    await mkdir(join(pack, 'node_modules', 'x'), { recursive: true });
    await writeFile(join(pack, 'node_modules', 'x', 'index.js'), '');
    // Act
    const extracted = await extractToTemp(await bundlePack(pack));
    try {
      // Assess
      const copy = join(extracted.root, 'actions', 'common.sh');
      expect((await lstat(copy)).isFile()).toBe(true);
      expect(await readFile(copy, 'utf8')).toBe('greet() { echo hi; }\n');
      expect((await readdir(extracted.root)).sort()).toEqual(['actions', 'pack.yaml']);
    } finally {
      await extracted.dispose();
    }
  });

  it('bundles two hard-linked files as two files, not as a tar hard link the server refuses', async () => {
    // Prepare
    await link(join(pack, 'actions', 'lib', 'common.sh'), join(pack, 'actions', 'lib', 'same.sh'));
    // Act
    const extracted = await extractToTemp(await bundlePack(pack));
    try {
      // Assess
      expect(await readFile(join(extracted.root, 'actions', 'lib', 'same.sh'), 'utf8')).toBe('greet() { echo hi; }\n');
    } finally {
      await extracted.dispose();
    }
  });
});
