import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentBuildFailed } from './errors.ts';
import { failingRequirement, installerEnv, runInstaller, type InstallerCommand } from './installer.ts';
import type { PythonInterpreter } from './interpreter.ts';

/** What {@link buildPythonEnvironment} needs. */
export interface PythonBuildSpec {
  /** The pack's ref, for error messages. */
  pack: string;
  /** What is being built, for error messages: the pack's venv (default) or the st2 base. */
  kind?: 'python' | 'st2-base';
  interpreter: PythonInterpreter;
  /** The pack's requirements.txt, verbatim; absent or without requirements = an empty venv. */
  requirementsTxt: string | undefined;
  /** The `uv` binary, or undefined to build with `python -m venv` and pip. */
  uv: string | undefined;
  /** Shared download/wheel cache of uv (`<cacheDir>/uv-cache`) or pip (`<cacheDir>/pip-cache`). */
  cacheDir: string;
  timeoutMs: number;
  onLine?: (line: string) => void;
}

/** The requirements file as written into every Python environment (what it was built from). */
export const REQUIREMENTS_FILE = 'attune-requirements.txt';

/** The venv's interpreter: what the python-script runner runs the wrapper with. */
export function venvPython(envDir: string): string {
  return join(envDir, 'bin', 'python');
}

/**
 * Fills `dir` (empty) with a venv for the interpreter and installs the requirements into it.
 * The venv never includes the system site-packages, so a pack sees its requirements, the
 * standard library and the wrappers' `attune` module (put on sys.path by the wrapper), nothing else.
 *
 * With uv: `uv venv --python <interpreter> <dir>` then
 * `uv pip install --python <dir>/bin/python --compile-bytecode -r <dir>/attune-requirements.txt`,
 * cached in `<cacheDir>/uv-cache`, never downloading an interpreter. Without: StackStorm's way,
 * `<interpreter> -m venv <dir>` then `<dir>/bin/python -m pip install -r …`. Both run in `dir`,
 * so config files in the pack (uv.toml, pyproject.toml) do not change what gets installed.
 * Throws {@link EnvironmentBuildFailed}.
 */
export async function buildPythonEnvironment(dir: string, spec: PythonBuildSpec): Promise<void> {
  const requirements = spec.requirementsTxt ?? '';
  const hasRequirements = requirements.split(/\r?\n/).some((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const requirementsPath = join(dir, REQUIREMENTS_FILE);
  const common = { cwd: dir, timeoutMs: spec.timeoutMs };
  let create: InstallerCommand;
  let install: InstallerCommand;
  if (spec.uv !== undefined) {
    const env = installerEnv({ UV_CACHE_DIR: spec.cacheDir, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' });
    create = { ...common, env, command: spec.uv, args: ['venv', '--no-project', '--python', spec.interpreter.executable, dir] };
    install = { ...common, env, command: spec.uv, args: ['pip', 'install', '--python', venvPython(dir), '--compile-bytecode', '-r', requirementsPath] };
  } else {
    const env = installerEnv({ PIP_CACHE_DIR: spec.cacheDir, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' });
    create = { ...common, env, command: spec.interpreter.executable, args: ['-m', 'venv', dir] };
    install = { ...common, env, command: venvPython(dir), args: ['-m', 'pip', 'install', '--require-virtualenv', '-r', requirementsPath] };
  }
  await run(create, spec);
  // Written once the venv exists: `uv venv` wants an empty directory.
  await writeFile(requirementsPath, requirements);
  if (hasRequirements) await run(install, spec);
}

async function run(step: InstallerCommand, spec: PythonBuildSpec): Promise<void> {
  const outcome = await runInstaller(step, spec.onLine);
  if (!outcome.ok) {
    const where = `Python ${spec.interpreter.version} at ${spec.interpreter.executable}`;
    throw new EnvironmentBuildFailed(spec.pack, spec.kind ?? 'python', `${outcome.reason} (${where})`, outcome.tail, failingRequirement(outcome.tail));
  }
}
