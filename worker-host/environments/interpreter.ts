import { access, constants, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runProcess } from '../runner/index.ts';
import { PROBE_TIMEOUT_MS } from './defaults.ts';
import { InterpreterNotFound } from './errors.ts';
import { installerEnv } from './installer.ts';

/**
 * Whether the accounts actions run as can run an interpreter: undefined when they can, else the
 * directory or file that stops them. Absent: actions run as the worker's user, so any will do.
 */
export type Reach = (path: string) => Promise<string | undefined>;

/** A Python interpreter found on this host. */
export interface PythonInterpreter {
  /** Its real executable (`sys.executable`), never a pyenv shim. */
  executable: string;
  /** `platform.python_version()`: `3.12.1`. */
  version: string;
  /** `sys.implementation.name`: `cpython`. */
  implementation: string;
}

const PROBE = 'import json, platform, sys; print(json.dumps({"executable": sys.executable, "version": platform.python_version(), "implementation": sys.implementation.name}))';

/**
 * Runs `<command> -c …` and returns what the interpreter says about itself, or why it could not
 * be used. A pyenv shim for a version that is not selected exits non-zero: that is "not usable".
 */
export async function probePython(command: string): Promise<PythonInterpreter | string> {
  const env = installerEnv();
  const chunks: Buffer[] = [];
  try {
    const outcome = await runProcess(
      { command, args: ['-c', PROBE], cwd: homedir(), env, stdin: '', timeoutMs: PROBE_TIMEOUT_MS },
      { onStdout: (c) => void chunks.push(c), onStderr: () => undefined },
    );
    if (outcome.exitCode !== 0) return outcome.timedOut ? 'timed out' : `exited ${outcome.exitCode ?? outcome.signal}`;
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PythonInterpreter;
    if (!parsed.executable) return 'reports no sys.executable';
    return parsed;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Finds the interpreter for `pack.yaml`'s `python: "3.12"` (or `"3.12.1"`): `python3.12` in each
 * PATH directory, then `$PYENV_ROOT/versions/3.12*\/bin/python3.12` (`~/.pyenv` by default). Each
 * candidate is run, so a pyenv shim for an unselected version is skipped, and the first whose
 * version matches wins. Throws {@link InterpreterNotFound} naming every place it looked.
 */
export async function findPython(pack: string, version: string, searchPath: string = process.env['PATH'] ?? '', reach?: Reach): Promise<PythonInterpreter> {
  const minor = version.split('.').slice(0, 2).join('.');
  const command = `python${minor}`;
  const searched: string[] = [];
  for (const candidate of await candidates(command, minor, searchPath)) {
    if (!(await isExecutable(candidate))) {
      searched.push(`${candidate} (not found)`);
      continue;
    }
    const probed = await probePython(candidate);
    if (typeof probed === 'string') {
      searched.push(`${candidate} (${probed})`);
    } else if (probed.version === version || probed.version.startsWith(`${version}.`)) {
      const blocked = await reach?.(probed.executable);
      if (blocked === undefined) return probed;
      searched.push(`${candidate} (out of the action accounts' reach)`);
    } else {
      searched.push(`${candidate} (is ${probed.version})`);
    }
  }
  throw new InterpreterNotFound(pack, version, searched);
}

/**
 * The worker's default interpreter (`python3` on PATH unless configured), resolved to its
 * executable. With `reach`, one the action accounts cannot run (a pyenv build under `/root`, a
 * root worker's usual `python3`) gives way to the first `python3` further along PATH that they can
 * (the system's `/usr/bin/python3`).
 */
export async function defaultPython(pack: string, command: string, reach?: Reach, searchPath: string = process.env['PATH'] ?? ''): Promise<PythonInterpreter> {
  const probed = await probePython(command);
  if (typeof probed === 'string') throw new InterpreterNotFound(pack, 'default', [`${command} (${probed})`]);
  if (reach === undefined || (await reach(probed.executable)) === undefined) return probed;
  const searched = [`${command} (out of the action accounts' reach)`];
  const seen = new Set([probed.executable]);
  for (const dir of new Set(searchPath.split(delimiter).filter((d) => d !== ''))) {
    const candidate = join(dir, 'python3');
    if (!(await isExecutable(candidate))) continue;
    const other = await probePython(candidate);
    if (typeof other === 'string' || seen.has(other.executable)) continue;
    seen.add(other.executable);
    if ((await reach(other.executable)) === undefined) return other;
    searched.push(`${candidate} (out of the action accounts' reach)`);
  }
  throw new InterpreterNotFound(pack, 'default', searched);
}

async function candidates(command: string, minor: string, searchPath: string): Promise<string[]> {
  const found = searchPath
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, command));
  const versions = join(process.env['PYENV_ROOT'] ?? join(homedir(), '.pyenv'), 'versions');
  const installed = await readdir(versions).catch(() => [] as string[]);
  const matching = installed.filter((name) => name === minor || name.startsWith(`${minor}.`)).sort(byVersionDescending);
  if (matching.length === 0) found.push(join(versions, `${minor}*`, 'bin', command));
  for (const name of matching) found.push(join(versions, name, 'bin', command));
  return [...new Set(found)];
}

/** `3.12.10` before `3.12.9`: the newest patch release wins when several are installed. */
function byVersionDescending(a: string, b: string): number {
  const parts = (v: string): number[] => v.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
