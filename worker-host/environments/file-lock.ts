import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { LOCK_HEARTBEAT_MS, LOCK_POLL_MS, LOCK_STALE_MS, LOCK_WAIT_MS } from './defaults.ts';
import { EnvironmentLockTimeout } from './errors.ts';
import { ignoreMissing } from '../../engine/errors/index.ts';

/** Tuning of {@link withFileLock}; the defaults fit environment builds. */
export interface FileLockOptions {
  waitMs?: number;
  pollMs?: number;
  staleMs?: number;
  heartbeatMs?: number;
  /** Called once when the lock is found held, with the holder's description. */
  onWait?: (holder: string) => void;
  /** Called with a failure the lock survives (a missed heartbeat touch), so it is seen, not dropped. */
  onError?: (message: string, err: unknown) => void;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
}

/**
 * Runs `fn` while holding a lock file shared by every process on this host (and any host sharing
 * the directory). The lock is created with `open(path, 'wx')` (O_CREAT|O_EXCL: one creator wins)
 * and holds `{pid, host, token}`; the holder touches it every `heartbeatMs`. A waiter polls, and
 * breaks a lock whose holder is a dead pid on this host, or that nobody touched for `staleMs`
 * (pid reuse, another host, a frozen holder).
 *
 * Breaking moves the stale file aside with `rename` and checks it was the one judged stale; a
 * holder that re-created the lock in between gets it back with `link` (fails if taken). In the
 * rarest interleaving two processes could still both build: callers must publish their result
 * atomically, so the lock saves work and never decides correctness.
 *
 * @example
 * await withFileLock(`${dir}/.locks/python-${key}.lock`, () => build());
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = randomUUID();
  await acquire(path, token, options);
  const beat = setInterval(() => {
    const now = new Date();
    // A failed touch is harmless once: the lock only looks stale after LOCK_STALE_MS without one.
    utimes(path, now, now).catch((err: unknown) => (options.onError ?? warnOnce)(`could not refresh the lock file ${path}`, err));
  }, options.heartbeatMs ?? LOCK_HEARTBEAT_MS);
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    await release(path, token);
  }
}

/** The default for failures the lock survives: a process warning on stderr, never silence. */
function warnOnce(message: string, err: unknown): void {
  process.emitWarning(`${message}: ${err instanceof Error ? err.message : String(err)}`, { code: 'ATTUNE_FILE_LOCK' });
}

async function acquire(path: string, token: string, options: FileLockOptions): Promise<void> {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const started = Date.now();
  let told = false;
  let lastHolder = '';
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), token } satisfies Holder));
      } finally {
        await handle.close();
      }
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const seen = await readFile(path, 'utf8').catch(ignoreMissing);
    if (seen === undefined) continue; // released between our open and read: try again at once
    lastHolder = describe(seen);
    if (await isStale(path, seen, options.staleMs ?? LOCK_STALE_MS)) {
      await breakLock(path, seen);
      continue;
    }
    if (!told) {
      options.onWait?.(lastHolder);
      told = true;
    }
    if (Date.now() - started > waitMs) throw new EnvironmentLockTimeout(path, lastHolder, waitMs);
    await new Promise((r) => setTimeout(r, options.pollMs ?? LOCK_POLL_MS));
  }
}

async function release(path: string, token: string): Promise<void> {
  // Only our own lock: if it was broken as stale and taken over, the file is someone else's.
  const content = await readFile(path, 'utf8').catch(() => '');
  if (parse(content)?.token === token) await unlink(path).catch(ignoreMissing);
}

async function isStale(path: string, content: string, staleMs: number): Promise<boolean> {
  const mtimeMs = await stat(path).then(
    (s) => s.mtimeMs,
    () => Date.now(),
  );
  if (Date.now() - mtimeMs > staleMs) return true;
  const holder = parse(content);
  // An empty or half-written file is a holder between open and write: alive until staleMs says not.
  if (holder === undefined || holder.host !== hostname()) return false;
  return !isAlive(holder.pid);
}

async function breakLock(path: string, judged: string): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch {
    return; // another waiter broke it first
  }
  const moved = await readFile(aside, 'utf8').catch(() => judged);
  // Not the file judged stale: a live holder re-created the lock meanwhile; give it back.
  // EEXIST: a third process took the lock meanwhile; the live holder then waits like everyone else.
  if (moved !== judged) await link(aside, path).catch((err: unknown) => ((err as NodeJS.ErrnoException).code === 'EEXIST' ? undefined : Promise.reject(err)));
  await unlink(aside).catch(ignoreMissing);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parse(content: string): Holder | undefined {
  try {
    const value = JSON.parse(content) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string' ? (value as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function describe(content: string): string {
  const holder = parse(content);
  return holder === undefined ? '' : `pid ${holder.pid} on ${holder.host}`;
}
