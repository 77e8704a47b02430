import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvironmentLockTimeout, EnvironmentManager, withFileLock } from '../../../worker-host/environments/index.ts';
import { INSTALL_TEST, pythonSays, scratchDir } from './helpers.ts';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'ensure-child.ts');
const REQUIREMENTS = 'six==1.16.0\nidna==3.7\nattrs==23.2.0\n';

let work: Awaited<ReturnType<typeof scratchDir>>;
beforeEach(async () => {
  work = await scratchDir('concurrency');
});
afterEach(async () => {
  await work.dispose();
});

interface ChildReport {
  python?: string;
  key?: string;
  built?: boolean;
  error?: string;
  log?: string[];
}

/** Starts one ensure-child process; resolves `ready` when it waits at the barrier. */
function startChild(cacheDir: string, barrier: string): { ready: Promise<void>; report: Promise<ChildReport> } {
  const child = spawn(process.execPath, [CHILD, cacheDir, work.path, REQUIREMENTS, barrier], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (c: Buffer) => void (err += c.toString('utf8')));
  const report = new Promise<ChildReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`child exited ${code}: ${out}${err}`));
      else resolve(JSON.parse(last) as ChildReport);
    });
  });
  return { ready, report };
}

describe('building across processes', () => {
  it('builds once when two worker processes ask for the same environment at the same time', INSTALL_TEST, async () => {
    // Prepare
    const cacheDir = join(work.path, 'cache');
    const barrier = join(work.path, 'go');
    const children = [startChild(cacheDir, barrier), startChild(cacheDir, barrier)];
    await Promise.all(children.map((c) => c.ready));
    // Act
    await writeFile(barrier, '');
    const reports = await Promise.all(children.map((c) => c.report));
    // Assess
    expect(reports.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(reports.map((r) => r.built).sort()).toEqual([false, true]);
    expect(reports[0]?.python).toBe(reports[1]?.python);
    // The other one found the lock held and waited for it, rather than arriving after the fact.
    expect(reports.find((r) => r.built === false)?.log).toContain('waiting for another process building an environment');
    const entries = (await readdir(join(cacheDir, 'envs'))).filter((e) => e.includes(reports[0]?.key ?? '?'));
    expect(entries).toHaveLength(2); // one published link, one build directory: nobody built twice
    expect((await pythonSays(reports[0]?.python ?? '', 'import six, idna, attrs; print(six.__version__, idna.__version__, attrs.__version__)')).out).toBe('1.16.0 3.7 23.2.0');
  });

  it('takes over the lock of a builder that died', INSTALL_TEST, async () => {
    // Prepare: a lock file left by a process that no longer exists
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => dead.on('close', () => resolve(dead.pid ?? 0)));
    const manager = new EnvironmentManager({ cacheDir: join(work.path, 'cache') });
    const pack = { ref: 'orphaned', files: { requirementsTxt: 'six==1.16.0\n' }, dir: work.path };
    const { python } = await manager.status(pack);
    await mkdir(join(work.path, 'cache', 'envs', '.locks'), { recursive: true });
    await writeFile(join(work.path, 'cache', 'envs', '.locks', `python-${python.key}.lock`), JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }));
    await mkdir(join(work.path, 'cache', 'envs', `.python-${python.key}.half`)); // its half-built venv
    // Act
    const env = await manager.ensure(pack);
    // Assess
    expect(env.built).toBe(true);
    const entries = (await readdir(join(work.path, 'cache', 'envs'))).filter((e) => e.includes(python.key));
    expect(entries).not.toContain(`.python-${python.key}.half`);
  });

  it('gives up waiting for a live holder after the wait limit, naming it', async () => {
    // Prepare
    const lock = join(work.path, 'held.lock');
    let release: () => void = () => undefined;
    const held = withFileLock(lock, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setTimeout(r, 50));
    // Act
    const failure = await withFileLock(lock, async () => 'acquired', { waitMs: 300, pollMs: 20 }).catch((err: unknown) => err);
    release();
    await held;
    const after = await withFileLock(lock, async () => 'acquired');
    // Assess
    expect(failure).toBeInstanceOf(EnvironmentLockTimeout);
    expect((failure as EnvironmentLockTimeout).holder).toContain(`pid ${process.pid}`);
    expect(after).toBe('acquired');
  });
});
