import { lstat, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentBuildFailed, EnvironmentManager, readManifest } from '../../../worker-host/environments/index.ts';
import type { RunnableAction } from '../../../worker-host/runner/index.ts';
import { INSTALL_TEST, copyPack, runAction, scratchDir } from './helpers.ts';

let work: Awaited<ReturnType<typeof scratchDir>>;
let manager: EnvironmentManager;
beforeAll(async () => {
  work = await scratchDir('node');
  manager = new EnvironmentManager({ cacheDir: join(work.path, 'cache') });
});
afterAll(async () => {
  await work.dispose();
});

const nodeAction = (ref: string, entryPoint: string): RunnableAction => ({ ref, runnerType: 'nodejs', entryPoint, parameters: { value: { type: 'string' } } });

describe('Node environments', () => {
  it('lets ESM and CommonJS actions import a dependency from npm, through the wrapper', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('node_dep', work.path);
    // Act
    const env = await manager.ensure(pack);
    const esm = await runAction(pack, env, nodeAction('node_dep.check', 'check.mjs'), { value: '42' });
    const cjs = await runAction(pack, env, nodeAction('node_dep.check_cjs', 'check_cjs.cjs'), { value: 'forty-two' });
    // Assess
    expect(esm.status, esm.stderr).toBe('succeeded');
    expect(cjs.status, cjs.stderr).toBe('succeeded');
    const installed = await realpath(join(env.nodePath ?? '?', 'is-number', 'index.js'));
    expect(esm.result).toEqual({ isNumber: true, resolved: `file://${installed}` });
    expect(cjs.result).toEqual({ isNumber: false, resolved: installed });
    expect(fileURLToPath((esm.result as { resolved: string }).resolved)).toContain(`node-${env.nodeKey}`);
  });

  it('links the pack to the environment instead of installing into it, with npm ci for a lock', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('node_dep', join(work.path, 'link'));
    // Act
    const env = await manager.ensure(pack);
    // Assess
    expect((await lstat(join(pack.dir, 'node_modules'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(pack.dir, 'node_modules'))).toBe(env.nodePath);
    expect(env.pathPrefix).toEqual([join(env.python, '..'), join(env.nodePath ?? '?', '.bin')]);
    expect(await readManifest(join(env.nodePath ?? '?', '..'))).toMatchObject({ kind: 'node', key: env.nodeKey, tool: 'npm ci' });
  });

  it('keys the environment on package.json and the lock file', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('node_dep', join(work.path, 'unlocked'));
    const locked = await manager.ensure(pack);
    const { packageLock: _lock, ...unlockedFiles } = pack.files;
    // Act: without the lock npm install resolves the range itself
    const unlocked = await manager.ensure({ ...pack, files: unlockedFiles });
    const run = await runAction(pack, unlocked, nodeAction('node_dep.check', 'check.mjs'), { value: '7' });
    // Assess
    expect(unlocked.nodeKey).not.toBe(locked.nodeKey);
    expect(unlocked.key).toBe(locked.key); // same (empty) Python environment
    expect(run.result).toMatchObject({ isNumber: true });
  });

  it('refuses a lock file out of step with package.json, as npm ci does', INSTALL_TEST, async () => {
    // Prepare: package.json gained a dependency the lock has never heard of
    const pack = await copyPack('node_dep', join(work.path, 'stale-lock'));
    const packageJson = JSON.stringify({ name: 'attune-fixture-node-dep', version: '0.1.0', private: true, dependencies: { 'is-number': '7.0.0', 'is-odd': '3.0.1' } });
    // Act
    const failure = await manager.ensure({ ...pack, files: { ...pack.files, packageJson } }).catch((err: unknown) => err);
    // Assess
    expect(failure).toBeInstanceOf(EnvironmentBuildFailed);
    expect((failure as EnvironmentBuildFailed).message).toContain('npm ci exited');
    expect((failure as EnvironmentBuildFailed).outputTail).toContain('Missing: is-odd@3.0.1 from lock file');
    expect(failure).toMatchObject({ requirement: 'is-odd@3.0.1' });
  });

  it('fails a dependency that does not exist, naming it, and caches nothing', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('node_dep', join(work.path, 'broken'));
    const packageJson = JSON.stringify({ name: 'broken', private: true, dependencies: { 'is-number': '99.0.0' } });
    const broken = { ...pack, files: { packageJson } };
    // Act
    const failure = await manager.ensure(broken).catch((err: unknown) => err);
    const status = await manager.status(broken);
    // Assess
    expect(failure).toBeInstanceOf(EnvironmentBuildFailed);
    expect(failure).toMatchObject({ pack: 'node_dep', kind: 'node', requirement: 'is-number@99.0.0' });
    expect((failure as EnvironmentBuildFailed).outputTail).toContain('ETARGET');
    expect(status.node?.state).toBe('missing');
  });
});
