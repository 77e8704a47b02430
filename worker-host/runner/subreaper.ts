import { constants } from 'node:fs';
import { access, readFile, readdir } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACTION_PATH } from './defaults.ts';
import { SpawnFailed } from './errors.ts';
import { wrappersDir } from './wrappers-dir.ts';

/** The launcher that runs every action process as a child subreaper (wrappers/launcher). */
export function reaperScript(): string {
  return join(wrappersDir(), 'launcher', 'attune_reaper.py');
}

/** Rounds of kill-and-rescan before giving up on a process tree that keeps forking. */
const KILL_ROUNDS = 200;
const KILL_ROUND_PAUSE_MS = 5;

/** The first executable `name` on `path`, or `name` itself when it holds a `/` and is executable. */
export async function findExecutable(name: string, path: string, cwd: string): Promise<string | undefined> {
  const candidates = name.includes('/') ? [resolve(cwd, name)] : path.split(delimiter).filter((d) => d !== '').map((d) => join(d, name));
  for (const candidate of candidates) {
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

let systemPython: Promise<string | undefined> | undefined;

/**
 * The command line that runs `command args` under the subreaper launcher: the system's python3
 * (found on the actions' system PATH, never a pack's environment) in isolated mode. Undefined
 * where there is no python3: the action then runs directly, ended by its process group only.
 */
export async function reaperCommand(command: string, args: readonly string[]): Promise<{ command: string; args: string[] } | undefined> {
  systemPython ??= findExecutable('python3', ACTION_PATH, '/');
  const python = await systemPython;
  // -I: no PYTHON* variables, no user site; -S: no site-packages. The launcher needs neither.
  return python === undefined ? undefined : { command: python, args: ['-I', '-S', reaperScript(), '--', command, ...args] };
}

/** Live (non-zombie) descendants of `root`, from /proc; none where there is no /proc. */
export async function descendants(root: number): Promise<number[]> {
  const names = await readdir('/proc').catch(() => [] as string[]);
  const children = new Map<number, number[]>();
  await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (name) => {
        const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
        if (stat === undefined) return;
        // "pid (comm) state ppid …": comm may hold spaces and parentheses; the last ')' ends it.
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // A zombie has exited and has no children (they were reparented when it exited).
        if (state === 'Z' || state === 'X') return;
        const parent = Number(ppid);
        children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
      }),
  );
  const found: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    for (const pid of children.get(todo.pop() as number) ?? []) {
      found.push(pid);
      todo.push(pid);
    }
  }
  return found;
}

/**
 * SIGKILLs every descendant of `root` (not `root` itself) until none is left. With `root` a
 * subreaper, what the killed processes had started is reparented to it and found by the next scan,
 * so nothing escapes; `root` reaps them.
 */
export async function killDescendants(root: number): Promise<void> {
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const pids = await descendants(root);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ESRCH: gone since the scan. EPERM: the pid was reused by a process not ours. Both done.
      }
    }
    await sleep(KILL_ROUND_PAUSE_MS);
  }
}

/**
 * What the runner spawns for `spec`: the command under the subreaper launcher, or the command
 * itself where there is no launcher. The command is looked up first, so a missing interpreter is
 * still a {@link SpawnFailed}, not an exit code of the launcher.
 */
export async function launchLine(spec: { command: string; args: readonly string[]; cwd: string; env: Readonly<Record<string, string>> }): Promise<{ command: string; args: string[] }> {
  const reaper = await reaperCommand(spec.command, spec.args);
  if (reaper === undefined) return { command: spec.command, args: [...spec.args] };
  const found = await findExecutable(spec.command, spec.env['PATH'] ?? '', spec.cwd);
  if (found === undefined) throw new SpawnFailed(spec.command, Object.assign(new Error(`spawn ${spec.command} ENOENT`), { code: 'ENOENT' }));
  return reaperCommand(found, spec.args) as Promise<{ command: string; args: string[] }>;
}

/**
 * Ends a run at once: every descendant of the leader `pid` (SIGKILL, until none is left), then
 * the group itself. Used on the grace's end after a timeout or cancel, and when a sink fails.
 */
export async function killRun(pid: number): Promise<void> {
  try {
    await killDescendants(pid);
  } finally {
    signalGroupQuietly(pid);
  }
}

function signalGroupQuietly(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}
