import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPack } from '../../../engine/packs/index.ts';
import type { PackEnvironment, PackEnvironmentSpec } from '../../../worker-host/environments/index.ts';
import {
  buildInvocation,
  classifyOutcome,
  createActionScratch,
  defaultInterpreters,
  minimalEnv,
  runProcess,
  type RunVerdict,
  type RunnableAction,
} from '../../../worker-host/runner/index.ts';

/** test/fixtures/env-packs */
export const ENV_PACKS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'env-packs');

/** Real installs from PyPI and npm: generous, yet a hung installer still fails the test. */
export const INSTALL_TEST = { timeout: 300_000 } as const;

/** What the fixture packs' `probe.py` reports. */
export interface ProbeResult {
  six: string | null;
  six_file: string | null;
  python: string;
  prefix: string;
  sys_path: string[];
}

/** A scratch directory removed by `dispose`. */
export async function scratchDir(prefix: string): Promise<{ path: string; dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `attune-env-test-${prefix}-`));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Copies a fixture pack under `parent` (as the pack cache extracts a bundle) and loads it with
 * the real pack loader; returns what `EnvironmentManager.ensure` takes.
 */
export async function copyPack(name: string, parent: string): Promise<PackEnvironmentSpec> {
  const dir = join(parent, name);
  await cp(join(ENV_PACKS, name), dir, { recursive: true });
  const pack = await loadPack(dir);
  const packageLock = await readFile(join(dir, 'package-lock.json'), 'utf8').catch(() => undefined);
  return {
    ref: pack.meta.ref ?? pack.meta.name,
    ...(pack.meta.python === undefined ? {} : { python: pack.meta.python }),
    files: { ...pack.files, ...(packageLock === undefined ? {} : { packageLock }) },
    dir,
  };
}

/** Runs one of the pack's actions exactly as the worker does, with the environment's interpreters. */
export async function runAction(
  pack: PackEnvironmentSpec,
  env: PackEnvironment,
  action: RunnableAction,
  parameters: Record<string, unknown> = {},
): Promise<RunVerdict & { stderr: string }> {
  const scratch = await createActionScratch();
  try {
    const input = { execution: { id: 'e1', action: action.ref }, parameters, secrets: {}, config: {} };
    const spec = buildInvocation(
      action,
      input,
      { packDir: pack.dir, cwd: scratch.home, env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, pathPrefix: env.pathPrefix }) },
      { ...defaultInterpreters(), python: env.python },
    );
    let stderr = '';
    const outcome = await runProcess(spec, { onStdout: () => undefined, onStderr: (c) => void (stderr += c.toString('utf8')) });
    return { ...classifyOutcome(outcome), stderr };
  } finally {
    await scratch.dispose();
  }
}

/** The fixture packs' probe action. */
export const probe = (pack: PackEnvironmentSpec): RunnableAction => ({ ref: `${pack.ref}.probe`, runnerType: 'python-script', entryPoint: 'probe.py' });

/** Runs `python -c code` (no shell) and returns its stdout, trimmed; throws on a non-zero exit. */
export async function pythonSays(python: string, code: string): Promise<{ ok: boolean; out: string }> {
  const chunks: Buffer[] = [];
  const scratch = await createActionScratch();
  try {
    const outcome = await runProcess(
      { command: python, args: ['-c', code], cwd: scratch.home, env: minimalEnv({ home: scratch.home }), stdin: '', timeoutMs: 30_000 },
      { onStdout: (c) => void chunks.push(c), onStderr: () => undefined },
    );
    return { ok: outcome.exitCode === 0, out: Buffer.concat(chunks).toString('utf8').trim() };
  } finally {
    await scratch.dispose();
  }
}
