// Detached server processes (own process group, output to a log file, pid file), stopping them,
// and a cross-process lock directory.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from './health.ts';

export interface DetachedSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logFile: string;
  /** Gets "<pid>\n<port>\n": the pid, then the port the process serves. */
  pidFile: string;
  port: number;
}

/** Starts `command` as the leader of a new process group; it outlives the caller. Returns its pid. */
export function spawnDetached(spec: DetachedSpec): number {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  const out = fs.openSync(spec.logFile, 'w');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.on('error', () => {}); // reported through the health wait and the log file
    child.unref();
    fs.writeFileSync(spec.pidFile, `${child.pid}\n${spec.port}\n`);
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the group has a member that is not a zombie (an exited process nobody reaped yet). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const table = execFileSync('ps', ['-A', '-o', 'pgid=,stat='], { encoding: 'utf8' });
    return table.split('\n').some((row) => {
      const [group, stat] = row.trim().split(/\s+/);
      return Number(group) === pgid && stat !== undefined && !stat.startsWith('Z');
    });
  } catch {
    return true;
  }
}

function readLine(file: string, index: number): number | undefined {
  try {
    const value = Number(fs.readFileSync(file, 'utf8').split('\n')[index]?.trim());
    return Number.isInteger(value) && value > 1 ? value : undefined;
  } catch {
    return undefined;
  }
}

export const readPid = (pidFile: string): number | undefined => readLine(pidFile, 0);
export const readPort = (pidFile: string): number | undefined => readLine(pidFile, 1);

/** The command line of a live process (`ps`, so Linux and macOS), or undefined. */
export function commandLine(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The pid recorded in `pidFile` if that process is alive and runs `scriptName`. */
export function recordedProcess(pidFile: string, scriptName: string): number | undefined {
  const pid = readPid(pidFile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  return commandLine(pid)?.includes(scriptName) ? pid : undefined;
}

/** SIGTERM to the whole group, SIGKILL after `graceMs` if anything is left. */
export async function killGroup(pgid: number, graceMs = 10_000): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (!groupAlive(pgid)) return;
  signalGroup('SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(100);
}

/** Removes the pid file if it still names `pid`. */
export function removePidFile(pidFile: string, pid: number): void {
  if (readPid(pidFile) === pid) fs.rmSync(pidFile, { force: true });
}

export function tailFile(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch {
    return `(no log at ${file})`;
  }
}

/**
 * Runs `fn` holding a lock directory (mkdir is atomic). A lock left by a dead process is taken
 * over; waits up to `timeoutMs` for a live holder.
 */
export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  log: (line: string) => void,
  timeoutMs = 15 * 60_000,
): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPid(path.join(lockDir, 'pid'));
    if (holder !== undefined && !isAlive(holder)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (holder === undefined) {
      // The holder may be between mkdir and writing its pid; treat as stale only once it is old.
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10_000) fs.rmSync(lockDir, { recursive: true, force: true });
    }
    if (!announced) {
      log(`waiting for another start of the local stack (lock ${lockDir}, pid ${holder ?? '?'})`);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lockDir}`);
    await sleep(250);
  }
  fs.writeFileSync(path.join(lockDir, 'pid'), `${process.pid}\n`);
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
