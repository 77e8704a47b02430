import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackValidationError, formatPackIssue, loadPack } from '../../../engine/packs/index.ts';
import { readPackText } from '../../../engine/packs/pack-files.ts';

const CANARY = `canary-${Math.random().toString(36).slice(2)}`;
let dir: string;
let pack: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-pack-files-'));
  pack = join(dir, 'pack');
  outside = join(dir, 'outside');
  await mkdir(join(pack, 'actions'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), `TOKEN=${CANARY}\n`);
  await writeFile(join(outside, 'pack.yaml'), `ref: ${CANARY}\nname: x\nversion: 1.0.0\ndescription: x\nauthor: x\n`);
  await writeFile(join(pack, 'pack.yaml'), 'ref: linky\nname: linky\nversion: 1.0.0\ndescription: x\nauthor: t\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Loads the pack, which must fail, and returns its issues as lines after checking nothing leaked. */
async function issues(): Promise<string[]> {
  const error = await loadPack(pack).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PackValidationError);
  const e = error as PackValidationError;
  expect(e.publicMessage).not.toContain(CANARY);
  expect(e.publicMessage).not.toContain(dir);
  return e.issues.map(formatPackIssue);
}

describe('the pack loader follows no link', () => {
  it('refuses a pack.yaml that is a link, without reading what it points to', async () => {
    // Prepare
    await rm(join(pack, 'pack.yaml'));
    await symlink(join(outside, 'pack.yaml'), join(pack, 'pack.yaml'));
    // Act
    const lines = await issues();
    // Assess
    expect(lines).toEqual(['pack.yaml: is a symbolic link: a pack holds regular files and directories only']);
  });

  it('refuses a requirements.txt that is a link instead of storing the file it points to', async () => {
    // Prepare
    await symlink(join(outside, 'secret.txt'), join(pack, 'requirements.txt'));
    // Act
    const lines = await issues();
    // Assess
    expect(lines).toEqual(['requirements.txt: is a symbolic link: a pack holds regular files and directories only']);
  });

  it('refuses an actions directory that is a link', async () => {
    // Prepare
    await rm(join(pack, 'actions'), { recursive: true });
    await writeFile(join(outside, 'a.yaml'), 'name: a\nrunner_type: local-shell-cmd\n');
    await symlink(outside, join(pack, 'actions'));
    // Act
    const lines = await issues();
    // Assess
    expect(lines).toEqual(['actions: is a symbolic link: a pack holds regular files and directories only']);
  });

  it('refuses a FIFO as package.json at once instead of waiting for a writer', async () => {
    // Prepare
    execFileSync('mkfifo', [join(pack, 'package.json')]);
    // Act
    const lines = await issues();
    // Assess
    expect(lines).toEqual(['package.json: is not a regular file']);
  });

  it('refuses a file reached through a linked directory, naming the link', async () => {
    // Prepare
    await symlink(outside, join(pack, 'lib'));
    // Act
    const read = await readPackText(pack, 'lib/secret.txt');
    // Assess
    expect(read).toEqual({ ok: false, missing: false, reason: 'lib is a symbolic link: a pack holds regular files and directories only' });
  });

  it('still reads a plain pack', async () => {
    // Prepare
    await writeFile(join(pack, 'requirements.txt'), 'requests==2.32.3\n');
    // Act
    const loaded = await loadPack(pack);
    // Assess
    expect(loaded.files.requirementsTxt).toBe('requests==2.32.3\n');
  });
});
