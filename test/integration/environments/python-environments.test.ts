import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EnvironmentBuildFailed,
  EnvironmentManager,
  InterpreterNotFound,
  probePython,
  type PythonInterpreter,
} from '../../../worker-host/environments/index.ts';
import { INSTALL_TEST, copyPack, probe, pythonSays, runAction, scratchDir, type ProbeResult } from './helpers.ts';

// One cache for the file: packs share it as packs on one worker do.
let work: Awaited<ReturnType<typeof scratchDir>>;
let manager: EnvironmentManager;
let host: PythonInterpreter;
const SYSTEM_SIX = 'import six; print(six.__version__, six.__file__)';
let systemSixBefore: { ok: boolean; out: string };

beforeAll(async () => {
  work = await scratchDir('python');
  manager = new EnvironmentManager({ cacheDir: join(work.path, 'cache') });
  const probed = await probePython('python3');
  if (typeof probed === 'string') throw new Error(`the worker's python3 does not run: ${probed}`);
  host = probed;
  systemSixBefore = await pythonSays(host.executable, SYSTEM_SIX);
});
afterAll(async () => {
  await work.dispose();
});

describe('Python environments', () => {
  it('uses uv when it is installed', () => {
    // localstack/install.sh puts a pinned uv in .attune/venv-tools; the suite must exercise it.
    expect(manager.uv, 'expected uv: run localstack/install.sh (or set ATTUNE_UV)').toMatch(/\/uv$/);
  });

  it('gives two packs pinning different six releases each its own, through the wrapper', INSTALL_TEST, async () => {
    // Prepare
    const newer = await copyPack('six_new', work.path);
    const older = await copyPack('six_old', work.path);
    // Act
    const [newEnv, oldEnv] = await Promise.all([manager.ensure(newer), manager.ensure(older)]);
    const [newRun, oldRun] = await Promise.all([runAction(newer, newEnv, probe(newer)), runAction(older, oldEnv, probe(older))]);
    // Assess
    expect(newEnv.key).not.toBe(oldEnv.key);
    expect(newRun.status).toBe('succeeded');
    expect(oldRun.status).toBe('succeeded');
    const [n, o] = [newRun.result as ProbeResult, oldRun.result as ProbeResult];
    expect(n.six).toBe('1.16.0');
    expect(o.six).toBe('1.15.0');
    expect(n.six_file).toContain(`python-${newEnv.key}`);
    expect(o.six_file).toContain(`python-${oldEnv.key}`);
  });

  it('never reads or writes the system interpreter site-packages', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('six_new', work.path);
    const systemSite = JSON.parse((await pythonSays(host.executable, 'import json, site; print(json.dumps(site.getsitepackages()))')).out) as string[];
    // Act
    const env = await manager.ensure(pack);
    const run = await runAction(pack, env, probe(pack));
    // Assess
    const seen = (run.result as ProbeResult).sys_path;
    expect(systemSite.length).toBeGreaterThan(0);
    for (const dir of systemSite) expect(seen).not.toContain(dir);
    expect(await pythonSays(host.executable, SYSTEM_SIX)).toEqual(systemSixBefore);
  });

  it('gives a pack without requirements.txt an empty venv that hides the host packages', INSTALL_TEST, async () => {
    // Prepare: the host's python3 has six; the bare pack must not see that one, only the st2 base's.
    const pack = await copyPack('bare', work.path);
    // Act
    const first = await manager.ensure(pack);
    const again = await manager.ensure({ ...pack, ref: 'bare_twin', dir: join(work.path, 'twin') });
    const run = await runAction(pack, first, probe(pack));
    // Assess
    expect(run.status).toBe('succeeded');
    expect((run.result as ProbeResult).six_file).toContain(join(work.path, 'cache', 'envs', `st2-base-${first.st2BaseKey}`));
    expect((run.result as ProbeResult).prefix).toBe(join(work.path, 'cache', 'envs', `python-${first.key}`));
    expect(again).toMatchObject({ key: first.key, built: false });
  });

  it('builds once, then answers from the cache', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('six_new', join(work.path, 'hit'));
    const cache = await scratchDir('hit-cache');
    const fresh = new EnvironmentManager({ cacheDir: cache.path });
    try {
      // Act
      const [a, b] = await Promise.all([fresh.ensure(pack), fresh.ensure(pack)]);
      const c = await fresh.ensure(pack);
      // Assess: concurrent callers in one process share one build
      expect([a.built, b.built].sort()).toEqual([false, true]);
      expect(a.python).toBe(b.python);
      expect(c).toMatchObject({ python: a.python, built: false });
      expect(await fresh.status(pack)).toMatchObject({ python: { key: a.key, state: 'ready' } });
      const entries = (await readdir(join(cache.path, 'envs'))).filter((e) => e.includes(a.key));
      expect(entries).toHaveLength(2); // the published link and its one build directory
    } finally {
      await cache.dispose();
    }
  });

  it('builds a new environment when requirements.txt changes', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('six_new', join(work.path, 'change'));
    const before = await manager.ensure(pack);
    const changed = { ...pack, files: { ...pack.files, requirementsTxt: 'six==1.15.0\n' } };
    // Act
    const after = await manager.ensure(changed);
    const run = await runAction(changed, after, probe(changed));
    // Assess
    expect(after.key).not.toBe(before.key);
    expect(after.built).toBe(true);
    expect((run.result as ProbeResult).six).toBe('1.15.0');
    expect(await lstat(before.python)).toBeTruthy(); // the old one stays for executions still using it
  });

  it('fails a broken requirement clearly, caches nothing, and builds once it is fixed', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('broken_req', work.path);
    // Act
    const failure = await manager.ensure(pack).catch((err: unknown) => err);
    const status = await manager.status(pack);
    const fixed = await manager.ensure({ ...pack, files: { requirementsTxt: 'six==1.16.0  # was 0.0.999\n' } });
    // Assess
    expect(failure).toBeInstanceOf(EnvironmentBuildFailed);
    const err = failure as EnvironmentBuildFailed;
    expect(err).toMatchObject({ name: 'EnvironmentBuildFailed', pack: 'broken_req', kind: 'python', requirement: 'six==0.0.999' });
    expect(err.message).toContain('pack broken_req');
    expect(err.message).toContain('six==0.0.999');
    expect(err.outputTail).toContain('six==0.0.999');
    expect(err.outputTail.split('\n').length).toBeLessThanOrEqual(40 + 10 + 1); // tail, first errors, ellipsis
    expect(status.python.state).toBe('missing');
    const leftovers = (await readdir(join(work.path, 'cache', 'envs'))).filter((e) => e.includes(status.python.key));
    expect(leftovers).toEqual([]);
    expect(fixed.built).toBe(true);
    expect((await pythonSays(fixed.python, 'import six; print(six.__version__)')).out).toBe('1.16.0');
  });

  it("builds with the Python version pack.yaml asks for", INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('py312', work.path);
    // Act
    const env = await manager.ensure(pack);
    const run = await runAction(pack, env, probe(pack));
    // Assess
    expect(run.status).toBe('succeeded');
    expect((run.result as ProbeResult).python).toBe('3.12');
    const { python: _asked, ...withoutVersion } = pack;
    expect(env.key).not.toBe((await manager.status(withoutVersion)).python.key);
  });

  it('names the missing Python version and every place it looked', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('py_missing', work.path);
    // Act
    const failure = await manager.ensure(pack).catch((err: unknown) => err);
    // Assess
    expect(failure).toBeInstanceOf(InterpreterNotFound);
    const err = failure as InterpreterNotFound;
    expect(err).toMatchObject({ name: 'InterpreterNotFound', pack: 'py_missing', version: '3.99' });
    expect(err.searched.some((s) => s.includes('python3.99'))).toBe(true);
    expect(err.searched.some((s) => s.includes('.pyenv/versions/3.99'))).toBe(true);
    expect(err.message).toContain('3.99');
  });

  it('falls back to python -m venv and pip when uv is not available', INSTALL_TEST, async () => {
    // Prepare
    const pack = await copyPack('six_old', join(work.path, 'pip'));
    const cache = await scratchDir('pip-cache');
    const pipManager = new EnvironmentManager({ cacheDir: cache.path, uv: null });
    try {
      // Act
      const env = await pipManager.ensure(pack);
      const run = await runAction(pack, env, probe(pack));
      // Assess
      expect(pipManager.uv).toBeUndefined();
      expect(run.status).toBe('succeeded');
      expect((run.result as ProbeResult).six).toBe('1.15.0');
      // The venv stays where pip wrote its absolute paths; callers reach it through the link.
      expect(await realpath(env.python)).not.toContain(`/python-${env.key}/`);
    } finally {
      await cache.dispose();
    }
  });
});
