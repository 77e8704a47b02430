import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentManager, type PackEnvironment, type PackEnvironmentSpec } from '../../../worker-host/environments/index.ts';
import {
  buildInvocation,
  classifyOutcome,
  createActionScratch,
  defaultInterpreters,
  minimalEnv,
  runProcess,
  type RunVerdict,
} from '../../../worker-host/runner/index.ts';
import { countingSinks } from './helpers.ts';

/** test/fixtures/st2-packs */
export const ST2_PACKS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'st2-packs');

/** Building the st2 base and pack venvs installs from the package index: generous, yet bounded. */
export const BUILD_TIMEOUT = { timeout: 300_000 } as const;

/** A worker's environment cache in a scratch directory, removed by `dispose`. */
export async function scratchEnvironments(): Promise<{ manager: EnvironmentManager; cacheDir: string; dispose: () => Promise<void> }> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'attune-st2-env-'));
  return { manager: new EnvironmentManager({ cacheDir }), cacheDir, dispose: () => rm(cacheDir, { recursive: true, force: true }) };
}

/** What `EnvironmentManager.ensure` takes for a fixture pack, its requirements.txt read as the loader does. */
export async function st2Pack(name: string): Promise<PackEnvironmentSpec> {
  const dir = join(ST2_PACKS, name);
  const requirementsTxt = await readFile(join(dir, 'requirements.txt'), 'utf8').catch(() => undefined);
  return { ref: name, files: requirementsTxt === undefined ? {} : { requirementsTxt }, dir };
}

/** How one run ended, with its logs. */
export type St2Run = RunVerdict & { stdout: string; stderr: string };

/**
 * Runs `actions/<entry>` of a fixture pack exactly as the worker does: its venv's python, the
 * real wrapper, the minimal env, a scratch home, the report on fd 3.
 */
export async function runSt2Action(
  pack: PackEnvironmentSpec,
  env: PackEnvironment,
  entry: string,
  parameters: Record<string, unknown> = {},
  extra: { config?: Record<string, unknown>; secrets?: Record<string, unknown> } = {},
): Promise<St2Run> {
  const scratch = await createActionScratch();
  try {
    const ref = `${pack.ref}.${entry.replace(/\.py$/, '')}`;
    const input = { execution: { id: 'e1', action: ref }, parameters, secrets: extra.secrets ?? {}, config: extra.config ?? {} };
    const spec = buildInvocation(
      { ref, runnerType: 'python-script', entryPoint: entry },
      input,
      { packDir: pack.dir, cwd: scratch.home, env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, pathPrefix: env.pathPrefix }) },
      { ...defaultInterpreters(), python: env.python },
    );
    const sinks = countingSinks();
    const outcome = await runProcess({ ...spec, timeoutMs: 30_000 }, sinks);
    return { ...classifyOutcome(outcome), stdout: sinks.stdout, stderr: sinks.stderr };
  } finally {
    await scratch.dispose();
  }
}
