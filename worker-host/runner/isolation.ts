import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Log } from '../../engine/logging/index.ts';
import { ActionUserPool, type ActionUser, type ActionUserPoolOptions } from './action-users.ts';
import { IsolationUnavailable } from './errors.ts';

/**
 * How actions are separated from the worker (docs/settings.md, `ATTUNE_ACTION_ISOLATION`):
 * - `auto`: each action runs as an unprivileged account of its own when the worker is root (the
 *   worker image), as the worker's user otherwise (a developer's laptop), said once at start;
 * - `uid`: unprivileged accounts or no start at all (a worker that is not root refuses to start);
 * - `off`: every action runs as the worker's user, explicitly (a trusted single-team host).
 */
export type IsolationMode = 'auto' | 'uid' | 'off';

/** What a run gets from {@link ActionIsolation.acquire}: the account to run as, if any, and how to give it back. */
export interface RunAccount {
  /** Absent: the action runs as the worker's user. */
  readonly user?: ActionUser;
  /** Kills everything left of the account and frees it for the next run. Safe to call once. */
  release(): Promise<void>;
}

/** Options of {@link ActionIsolation}. */
export interface ActionIsolationOptions {
  mode: IsolationMode;
  /** One account per concurrency slot. */
  slots: number;
  log: Log;
  /** The worker's uid; `process.getuid()` unless a test says otherwise. */
  uid?: number;
  /** Passed to the pool (claims directory, account prefix). */
  pool?: Omit<ActionUserPoolOptions, 'slots'>;
  /**
   * Where the worker keeps what it shares with actions (the pack cache and environments): an
   * account that cannot reach it could run nothing, so `auto` then runs actions as the worker's
   * user, saying why, and `uid` refuses to start.
   */
  sharedDir?: string;
}

/**
 * The worker's side of action isolation: decides once whether actions get accounts of their own,
 * opens the account pool (on {@link start}, or on the first run), and hands an account to each run.
 *
 * @example
 * const isolation = new ActionIsolation({ mode: settings.actionIsolation, slots: settings.concurrency, log });
 * await isolation.start();
 * const account = await isolation.acquire();
 * try { await runProcess({ ...spec, user: account.user }, sinks); } finally { await account.release(); }
 */
export class ActionIsolation {
  readonly #options: ActionIsolationOptions;
  #pool: Promise<ActionUserPool | undefined> | undefined;

  constructor(options: ActionIsolationOptions) {
    this.#options = options;
  }

  /** Whether actions may run as accounts of their own (mode not `off`, the worker root), known without I/O; `active()` says whether they do. */
  get separatesAccounts(): boolean {
    const uid = this.#options.uid ?? process.getuid?.() ?? -1;
    return this.#options.mode !== 'off' && uid === 0;
  }

  /** Opens the pool (or says, once, that actions run as the worker's user). Throws {@link IsolationUnavailable} in mode `uid` without root. */
  async start(): Promise<void> {
    await this.#open();
  }

  /** Whether actions do run as accounts of their own (the pool opened). */
  async active(): Promise<boolean> {
    return (await this.#open()) !== undefined;
  }

  /** An account for one run; waits while every account is in use. */
  async acquire(): Promise<RunAccount> {
    const pool = await this.#open();
    if (pool === undefined) return { release: () => Promise.resolve() };
    const user = await pool.acquire();
    let released = false;
    return {
      user,
      release: async () => {
        if (released) return;
        released = true;
        await pool.release(user);
      },
    };
  }

  /** Gives up the pool's claims (at shutdown). */
  async close(): Promise<void> {
    const pool = await this.#pool?.catch(() => undefined);
    await pool?.close();
  }

  #open(): Promise<ActionUserPool | undefined> {
    this.#pool ??= this.#openOnce();
    return this.#pool;
  }

  async #openOnce(): Promise<ActionUserPool | undefined> {
    const { mode, log, slots } = this.#options;
    const uid = this.#options.uid ?? process.getuid?.() ?? -1;
    if (mode === 'off') {
      log('warn', "actions run as the worker's user: action isolation is off (ATTUNE_ACTION_ISOLATION=off)", { uid });
      return undefined;
    }
    if (uid !== 0) {
      if (mode === 'uid') throw new IsolationUnavailable(`ATTUNE_ACTION_ISOLATION=uid needs a worker running as root, this one runs as uid ${uid}`);
      log('info', "actions run as the worker's user: the worker is not root, so it cannot give them accounts of their own", { uid });
      return undefined;
    }
    const shared = this.#options.sharedDir;
    const blocked = shared === undefined ? undefined : await unreachableByOthers(await nearestExisting(shared));
    if (blocked !== undefined) {
      const why = `the worker's cache is out of reach of other accounts (a directory on its way, mode 0700 or the like, stops them); make it searchable by all, or set ATTUNE_CACHE_DIR to a directory that is`;
      if (mode === 'uid') throw new IsolationUnavailable(`ATTUNE_ACTION_ISOLATION=uid: ${why}`);
      log('warn', `actions run as the worker's user: ${why}`, { blocked });
      return undefined;
    }
    const pool = await ActionUserPool.open({ ...this.#options.pool, slots });
    log('info', 'actions run as unprivileged accounts of their own, one per slot', { uids: pool.uids });
    return pool;
  }
}

/**
 * The first directory on the way to `path` (symbolic links resolved) that an account of its own
 * cannot search, or the file itself when it cannot read or run it; undefined when all is open.
 * A pyenv build under `/root` is the usual case: readable by the worker, by no action account.
 */
export async function unreachableByOthers(path: string): Promise<string | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return undefined; // a missing file fails at spawn, with its own error
  const parts = real.split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length; i++) {
    const at = `/${parts.slice(0, i).join('/')}`;
    if (((await stat(at)).mode & 0o001) === 0) return at;
  }
  return ((await stat(real)).mode & 0o005) === 0 ? real : undefined;
}

/** `path`, or its nearest ancestor that exists (a cache not made yet is judged by where it will be). */
async function nearestExisting(path: string): Promise<string> {
  let at = path;
  while (!(await stat(at).then(() => true, () => false)) && dirname(at) !== at) at = dirname(at);
  return at;
}
