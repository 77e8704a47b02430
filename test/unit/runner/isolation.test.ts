import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionIsolation,
  actionNode,
  buildInvocation,
  classifyOutcome,
  createActionScratch,
  minimalEnv,
  processesOf,
  runProcess,
  stageNode,
  stageWrappers,
  unreachableByOthers,
  wrappersDir,
  type ActionUser,
  type RunAccount,
  type RunnableAction,
} from '../../../worker-host/runner/index.ts';
import { bundlePack } from '../../../cli/bundle.ts';
import type { Registry } from '../../../engine/registry/index.ts';
import { removeWriteForOthers } from '../../../worker-host/environments/index.ts';
import { PackCache } from '../../../worker-host/pack-cache.ts';
import { PACKS, alive, countingSinks, input, waitForFile } from './helpers.ts';

// Accounts of their own need root: this suite runs where the worker image runs (root) and on the
// test host, which is root too. The pool's prefix keeps the tests' accounts apart from a worker's.
const POOL = { prefix: 'attune-test-', lockDir: '/run/attune/action-users' };
const logs: { level: string; message: string }[] = [];
const isolation = new ActionIsolation({ mode: 'uid', slots: 2, log: (level, message) => void logs.push({ level, message }), pool: POOL });

const shellCmd: RunnableAction = { ref: 'core.local', runnerType: 'local-shell-cmd' };
let shared: string;
/** The runner fixtures and the wrappers, copied where the accounts can reach them (the checkout may sit under a 0700 directory). */
let reachable: string;
let packs: string;

beforeAll(async () => {
  await isolation.start();
  reachable = await mkdtemp(join(tmpdir(), 'attune-isolation-reach-'));
  await chmod(reachable, 0o755);
  await stageWrappers(join(reachable, 'cache'), () => undefined);
  await stageNode(join(reachable, 'cache'), () => undefined);
  packs = join(reachable, 'packs');
  await cp(PACKS, packs, { recursive: true });
  // A place both the test and the accounts can reach, as /dev/shm is on a real host.
  shared = await mkdtemp(join(tmpdir(), 'attune-isolation-'));
  await chmod(shared, 0o1777);
});
afterAll(async () => {
  await isolation.close();
  await rm(shared, { recursive: true, force: true });
  await rm(reachable, { recursive: true, force: true });
});

/** Runs a shell command as `account`'s user, as the worker does: owned scratch, minimal env. */
async function runAs(account: RunAccount, cmd: string, secrets: Record<string, string> = {}, onSpawn?: (pid: number) => void) {
  const user = account.user as ActionUser;
  const scratch = await createActionScratch(undefined, user);
  try {
    const spec = buildInvocation(shellCmd, input({ cmd }, secrets), {
      packDir: join(packs, 'crash'),
      cwd: scratch.home,
      env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, user: user.name }),
    });
    const sinks = countingSinks();
    const outcome = await runProcess({ ...spec, user, killGraceMs: 500 }, onSpawn ? { ...sinks, onSpawn } : sinks);
    return { verdict: classifyOutcome(outcome), sinks, scratch };
  } finally {
    await scratch.dispose();
  }
}

async function withAccount<T>(body: (account: RunAccount) => Promise<T>): Promise<T> {
  const account = await isolation.acquire();
  try {
    return await body(account);
  } finally {
    await account.release();
  }
}

describe('actions run as unprivileged accounts of their own', () => {
  it('runs the action as its account with no supplementary groups, and says so once at start', async () => {
    // Act
    const { verdict, sinks, user } = await withAccount(async (account) => ({ ...(await runAs(account, 'id -u; id -g; grep ^Groups: /proc/self/status; echo "$USER"')), user: account.user as ActionUser }));
    // Assess
    expect(verdict.status).toBe('succeeded');
    const [uid, gid, groups, name] = sinks.stdout.trim().split('\n');
    expect(Number(uid)).toBe(user.uid);
    expect(Number(gid)).toBe(user.gid);
    expect(user.uid).not.toBe(0);
    expect(groups?.replace('Groups:', '').trim()).toBe('');
    expect(name).toBe(user.name);
    expect(logs.filter((l) => l.message.startsWith('actions run as unprivileged accounts'))).toHaveLength(1);
  }, 20_000);

  it("refuses a shell action reading the worker's /proc/<pid>/environ", async () => {
    // Act
    const { verdict, sinks } = await withAccount((account) => runAs(account, `cat /proc/${process.pid}/environ | tr '\\0' '\\n' | head -c 200`));
    // Assess: cat is refused; nothing of the worker's environment reached the output
    expect(sinks.stderr).toMatch(/Permission denied/);
    expect(sinks.stdout).toBe('');
    expect(verdict.status).toBe('succeeded'); // the pipeline's status is head's
  }, 20_000);

  it('gives each run a private HOME and TMPDIR owned by its account, mode 0700, gone after the run', async () => {
    // Act
    const { verdict, sinks, scratch } = await withAccount((account) => runAs(account, 'stat -c "%u %a" "$HOME" "$TMPDIR"; touch "$TMPDIR/x" && echo wrote'));
    // Assess
    expect(verdict.status).toBe('succeeded');
    const lines = sinks.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\d+ 700$/);
    expect(lines[1]).toMatch(/^\d+ 700$/);
    expect(lines[2]).toBe('wrote');
    expect(existsSync(scratch.root)).toBe(false);
  }, 20_000);

  it("cannot read another run's scratch while both run", async () => {
    // Prepare: run A holds a file in its TMPDIR, run B (another account) tries to read it
    const marker = join(shared, `a-tmp-${Date.now()}`);
    await withAccount(async (a) =>
      withAccount(async (b) => {
        const first = runAs(a, `echo private > "$TMPDIR/note"; echo "$TMPDIR" > ${marker}; sleep 2`);
        const tmpOfA = await waitForFile(marker);
        // Act
        const second = await runAs(b, `cat ${tmpOfA}/note`);
        await first;
        // Assess
        expect(second.sinks.stderr).toMatch(/Permission denied/);
        expect(second.sinks.stdout).toBe('');
      }),
    );
  }, 20_000);

  it("fails to rewrite another pack's cached file, which stays as the worker wrote it", async () => {
    // Prepare: a pack laid out as the pack cache leaves it (worker-owned, 0755 / 0644)
    const cache = await mkdtemp(join(tmpdir(), 'attune-packcache-'));
    await chmod(cache, 0o755);
    const file = join(cache, 'other', 'actions', 'run.sh');
    await mkdir(join(cache, 'other', 'actions'), { recursive: true, mode: 0o755 });
    await writeFile(file, 'echo trusted\n', { mode: 0o644 });
    try {
      // Act
      const { sinks } = await withAccount((account) => runAs(account, `echo 'echo pwned' > ${file}; rm -f ${file}; mv ${file} ${file}.x; touch ${join(cache, 'other', 'evil')}`));
      // Assess
      expect(sinks.stderr.match(/Permission denied/g)?.length).toBeGreaterThanOrEqual(3);
      expect(readFileSync(file, 'utf8')).toBe('echo trusted\n');
      expect(existsSync(join(cache, 'other', 'evil'))).toBe(false);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  }, 20_000);
});

describe('paths an account must reach', () => {
  it('names the first directory an account cannot search, and nothing for an open path', async () => {
    // Prepare
    const closed = await mkdtemp(join(tmpdir(), 'attune-closed-'));
    await mkdir(join(closed, 'bin'));
    await writeFile(join(closed, 'bin', 'python'), '', { mode: 0o755 });
    try {
      // Act
      const [blocked, open] = await Promise.all([unreachableByOthers(join(closed, 'bin', 'python')), unreachableByOthers('/usr/bin/python3')]);
      // Assess: mkdtemp made the directory 0700
      expect(blocked).toBe(closed);
      expect(open).toBeUndefined();
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });
});

describe('python actions as accounts of their own', () => {
  it("run st2's protocol with the system python: own user, secrets on stdin, datastore on fd 4, the worker and the pack out of reach", async () => {
    // Prepare
    const action: RunnableAction = { ref: 'isolation.probe', runnerType: 'python-script', entryPoint: 'probe.py', parameters: { worker_pid: { type: 'integer' } } };
    const result = await withAccount(async (account) => {
      const user = account.user as ActionUser;
      const scratch = await createActionScratch(undefined, user);
      try {
        const spec = buildInvocation(
          action,
          input({ worker_pid: process.pid }, { token: 'x'.repeat(24) }, 'isolation.probe'),
          { packDir: join(packs, 'isolation'), cwd: scratch.home, env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, user: user.name }) },
          // The system's python: a pyenv build under /root is out of an account's reach, as it should be.
          { python: '/usr/bin/python3', node: actionNode(), wrappersDir: wrappersDir() },
        );
        // Act
        // The service channel (fd 4) crosses the uid change as an inherited descriptor.
        const services = (request: { op: unknown; name?: unknown }) => Promise.resolve(request.op === 'kv.get' && request.name === 'greeting' ? 'hello from the worker' : null);
        const outcome = await runProcess({ ...spec, user, services }, countingSinks());
        return { verdict: classifyOutcome(outcome), user };
      } finally {
        await scratch.dispose();
      }
    });
    // Assess
    expect(result.verdict).toMatchObject({
      status: 'succeeded',
      result: { user: result.user.name, uid: result.user.uid, worker_environ: 'PermissionError', own_pack_file: 'PermissionError', temp_in_tmpdir: true, secret_length: 24, datastore: 'hello from the worker' },
    });
  }, 20_000);
});

describe('what the worker shares with actions is read-only to them', () => {
  it('unpacks a bundle into the pack cache readable by an account and writable by none', async () => {
    // Prepare
    const cacheDir = await mkdtemp(join(tmpdir(), 'attune-cache-'));
    await chmod(cacheDir, 0o755);
    const bundle = await bundlePack(join(PACKS, 'isolation'));
    const cache = new PackCache(cacheDir, { readBundle: () => Promise.resolve(Buffer.from(bundle)) } as unknown as Registry);
    try {
      const packDir = await cache.ensure('d1g3st');
      const file = join(packDir, 'actions', 'probe.py');
      // Act
      const { sinks } = await withAccount((account) => runAs(account, `head -c 6 ${file}; echo; echo x >> ${file}; touch ${join(packDir, 'actions', 'new.py')}`));
      // Assess
      expect(sinks.stdout.split('\n')[0]).toBe('import');
      expect(sinks.stderr.match(/Permission denied/g)).toHaveLength(2);
      expect(statSync(join(cacheDir, 'packs', 'd1g3st')).mode & 0o777).toBe(0o755);
      expect(statSync(file).mode & 0o777).toBe(0o644);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }, 20_000);

  it('takes group and other write off a built environment, leaving links alone', async () => {
    // Prepare: what a careless installer might leave
    const env = await mkdtemp(join(tmpdir(), 'attune-env-'));
    await mkdir(join(env, 'lib'), { mode: 0o777 });
    await writeFile(join(env, 'lib', 'mod.py'), 'x = 1\n', { mode: 0o666 });
    await writeFile(join(env, 'run'), '', { mode: 0o777 });
    await chmod(join(env, 'lib'), 0o777);
    await chmod(join(env, 'lib', 'mod.py'), 0o666);
    await chmod(join(env, 'run'), 0o777);
    try {
      // Act
      await removeWriteForOthers(env);
      // Assess
      expect(statSync(join(env, 'lib')).mode & 0o777).toBe(0o755);
      expect(statSync(join(env, 'lib', 'mod.py')).mode & 0o777).toBe(0o644);
      expect(statSync(join(env, 'run')).mode & 0o777).toBe(0o755);
    } finally {
      await rm(env, { recursive: true, force: true });
    }
  });
});

describe('nothing of a run survives it, even when it kills its launcher', () => {
  const pidFile = (): string => join(shared, `loop-${Date.now()}-${Math.random().toString(36).slice(2)}.pid`);
  // Starts a setsid loop appending what /proc/*/fd/4 holds (the secrets channel of shell runs) to
  // `out`, then kills the run's launcher (the wrapper's parent) so no subreaper is left to end it.
  const harvestAndKillLauncher = (pid: string, out: string): string =>
    `( setsid sh -c 'echo $$ > "$0"; while :; do cat /proc/[0-9]*/fd/4 >> "$1" 2>/dev/null; sleep 0.02; done' ${pid} ${out} < /dev/null > /dev/null 2>&1 & ); ` +
    `while [ ! -s ${pid} ]; do sleep 0.01; done; kill -9 $(cut -d' ' -f4 /proc/$PPID/stat); sleep 5`;
  let loopPid = 0;
  afterEach(() => {
    if (loopPid > 0 && alive(loopPid)) process.kill(loopPid, 'SIGKILL');
  });

  it("keeps pack A's setsid loop from harvesting pack B's secret in the next run of the same account", async () => {
    // Prepare
    const pid = pidFile();
    const out = join(shared, `harvest-${Date.now()}`);
    const secret = `db-${Math.random().toString(36).slice(2)}-password`;
    // One account at a time: the next run gets the account A just used (the attack's best case).
    await withAccount(async (account) => {
      // Act: run A leaves the loop and kills its launcher
      const a = await runAs(account, harvestAndKillLauncher(pid, out));
      loopPid = Number(readFileSync(pid, 'utf8').trim());
      // Assess: the run ended as killed; the loop and every process of the account are gone
      expect(a.verdict.status).toBe('failed');
      expect(alive(loopPid)).toBe(false);
      expect(await processesOf((account.user as ActionUser).uid)).toEqual([]);
    });
    await withAccount(async (account) => {
      // Act: run B reads its secret as shell actions do
      const b = await runAs(account, 'attune-secret db_password > /dev/null; sleep 0.5; echo done', { db_password: secret });
      // Assess
      expect(b.sinks.stdout.trim()).toBe('done');
    });
    await sleep(100);
    expect(existsSync(out) ? readFileSync(out, 'utf8') : '').not.toContain(secret);
  }, 30_000);

  it("cannot read another account's secrets channel while both run", async () => {
    // Prepare
    const secret = `api-${Math.random().toString(36).slice(2)}-key`;
    const ready = join(shared, `b-ready-${Date.now()}`);
    await withAccount(async (a) =>
      withAccount(async (b) => {
        const holder = runAs(b, `echo $$ > ${ready}; sleep 2`, { api_key: secret });
        await waitForFile(ready);
        // Act: A reads every fd 4 it can find on the host
        const thief = await runAs(a, 'cat /proc/[0-9]*/fd/4 2>/dev/null; true');
        await holder;
        // Assess
        expect(thief.sinks.stdout).not.toContain(secret);
      }),
    );
  }, 20_000);

  it('stops the loop writing the moment the run that killed its launcher ends', async () => {
    // Prepare
    const pid = pidFile();
    const out = join(shared, `harvest-t-${Date.now()}`);
    await withAccount(async (account) => {
      // Act
      const run = await runAs(account, harvestAndKillLauncher(pid, out));
      loopPid = Number(readFileSync(pid, 'utf8').trim());
      // Assess
      expect(run.verdict.status).not.toBe('succeeded');
      expect(alive(loopPid)).toBe(false);
      const size = existsSync(out) ? statSync(out).size : 0;
      await sleep(200);
      expect(existsSync(out) ? statSync(out).size : 0).toBe(size);
    });
  }, 20_000);
});
