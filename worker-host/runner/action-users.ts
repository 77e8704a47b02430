import { execFile } from 'node:child_process';
import { mkdir, open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ACTION_USER_MAX_SLOTS, ACTION_USER_PREFIX, ACTION_USERS_LOCK_DIR, KILL_USER_ROUNDS } from './defaults.ts';
import { IsolationUnavailable } from './errors.ts';

const run = promisify(execFile);

/** The unprivileged account one action runs as. */
export interface ActionUser {
  /** `attune-action-<n>`. */
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** What {@link ActionUserPool.open} needs. */
export interface ActionUserPoolOptions {
  /** Users claimed: one per concurrency slot of the worker. */
  slots: number;
  /** Where claims are recorded, one file per user, so two workers on one host never share one. */
  lockDir?: string;
  /** Account name prefix; `<prefix><n>`. */
  prefix?: string;
  /** Path of the passwd database read to find the accounts. */
  passwdFile?: string;
}

/**
 * A pool of unprivileged accounts, one per concurrency slot of the worker, claimed for the life of
 * the worker process (a lock file per account under a root-only directory, holding the worker's
 * pid: a claim of a dead worker is taken over). An account runs at most one action at a time, so
 * at the end of a run everything of its uid is that run's and is killed before the account is
 * handed out again: nothing a run starts can watch the next one.
 *
 * Per slot rather than per pack: two runs of one pack at once would share a uid, and ending one
 * would have to spare (or kill) the other; with per-slot users "kill every process of the uid" is
 * exact, the number of accounts is bounded by the concurrency, not by the packs registered.
 *
 * @example
 * const pool = await ActionUserPool.open({ slots: settings.concurrency });
 * const user = await pool.acquire();
 * try { await runProcess({ ...spec, user }, sinks); } finally { await pool.release(user); }
 */
export class ActionUserPool {
  readonly #free: ActionUser[];
  readonly #waiters: ((user: ActionUser) => void)[] = [];
  readonly #locks: string[];

  private constructor(users: ActionUser[], locks: string[]) {
    this.#free = [...users];
    this.#locks = locks;
  }

  /** The accounts, found in the passwd database or created with `useradd`, and claimed. */
  static async open(options: ActionUserPoolOptions): Promise<ActionUserPool> {
    const lockDir = options.lockDir ?? ACTION_USERS_LOCK_DIR;
    const prefix = options.prefix ?? ACTION_USER_PREFIX;
    await mkdir(lockDir, { recursive: true, mode: 0o700 });
    const dirStat = await stat(lockDir);
    if (dirStat.uid !== 0 || (dirStat.mode & 0o022) !== 0) {
      throw new IsolationUnavailable(`the claims directory ${lockDir} must be root's and not writable by others`);
    }
    const users: ActionUser[] = [];
    const locks: string[] = [];
    try {
      for (let n = 0; n < ACTION_USER_MAX_SLOTS && users.length < options.slots; n++) {
        const lock = join(lockDir, `${prefix}${n}.pid`);
        if (!(await claim(lock))) continue;
        locks.push(lock);
        const user = await findOrCreateUser(`${prefix}${n}`, options.passwdFile);
        // Whatever a previous worker left running as this account is not ours to keep.
        await killUserProcesses(user.uid);
        users.push(user);
      }
    } catch (error) {
      await Promise.all(locks.map((l) => unlink(l).catch(() => undefined)));
      throw error;
    }
    if (users.length < options.slots) {
      await Promise.all(locks.map((l) => unlink(l).catch(() => undefined)));
      throw new IsolationUnavailable(`${options.slots} action users wanted, only ${users.length} free of ${ACTION_USER_MAX_SLOTS}`);
    }
    return new ActionUserPool(users, locks);
  }

  /** The uids of the pool (for checks and tests). */
  get uids(): number[] {
    return this.#free.map((u) => u.uid);
  }

  /** A free account; waits for one when all are running actions. */
  acquire(): Promise<ActionUser> {
    const user = this.#free.shift();
    if (user !== undefined) return Promise.resolve(user);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Kills every process of the account, then hands it to the next run. */
  async release(user: ActionUser): Promise<void> {
    await killUserProcesses(user.uid);
    const next = this.#waiters.shift();
    if (next !== undefined) next(user);
    else this.#free.push(user);
  }

  /** Gives up the claims (at shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.#locks.map((l) => unlink(l).catch(() => undefined)));
  }
}

/** Creates `lock` holding our pid, or takes it over when the pid in it is gone. */
async function claim(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lock, 'wx', 0o600);
      await file.writeFile(String(process.pid));
      await file.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) return false;
    // A dead holder's claim; one unlink wins, the loser finds the winner's file next round.
    await unlink(lock).catch(() => undefined);
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads `name` from the passwd database; creates it (a system account without a home or shell) when missing. */
export async function findOrCreateUser(name: string, passwdFile = '/etc/passwd'): Promise<ActionUser> {
  const found = await lookUser(name, passwdFile);
  if (found !== undefined) return found;
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name]);
  } catch (error) {
    // Another worker on this host may have created it meanwhile.
    const raced = await lookUser(name, passwdFile);
    if (raced !== undefined) return raced;
    throw new IsolationUnavailable(`could not create the action user ${name} (useradd: ${(error as Error).message.split('\n')[0] ?? ''})`, error);
  }
  const created = await lookUser(name, passwdFile);
  if (created === undefined) throw new IsolationUnavailable(`useradd did not create ${name}`);
  return created;
}

async function lookUser(name: string, passwdFile: string): Promise<ActionUser | undefined> {
  const text = await readFile(passwdFile, 'utf8');
  for (const line of text.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) {
      const account = { name, uid: Number(uid), gid: Number(gid) };
      // A root or otherwise privileged account by that name is a misconfiguration, never a sandbox.
      if (account.uid === 0 || account.gid === 0) throw new IsolationUnavailable(`the action user ${name} has uid or gid 0`);
      return account;
    }
  }
  return undefined;
}

/** Pids of live processes whose real, effective or saved uid is `uid`, from /proc. */
export async function processesOf(uid: number): Promise<number[]> {
  const names = await readdir('/proc').catch(() => [] as string[]);
  const found: number[] = [];
  await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (name) => {
        const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => undefined);
        if (status === undefined) return;
        const state = /^State:\s+(\S)/m.exec(status)?.[1];
        if (state === 'Z' || state === 'X') return;
        const uids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
        if (uids !== null && [uids[1], uids[2], uids[3]].some((u) => Number(u) === uid)) found.push(Number(name));
      }),
  );
  return found;
}

/**
 * SIGKILLs every process of `uid` until none is left. Whatever the run did to its process tree
 * (killed its launcher, left in a session of its own, double-forked to init), its processes still
 * carry its uid, and an unprivileged uid cannot change it.
 */
export async function killUserProcesses(uid: number): Promise<void> {
  if (uid === 0) throw new IsolationUnavailable('refusing to kill every process of uid 0');
  for (let round = 0; round < KILL_USER_ROUNDS; round++) {
    const pids = await processesOf(uid);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ESRCH: gone since the scan.
      }
    }
    await sleep(5);
  }
  throw new IsolationUnavailable(`processes of uid ${uid} survived ${KILL_USER_ROUNDS} rounds of SIGKILL`);
}
