import { lstat, mkdir, readlink, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EnvironmentBuildFailed } from './errors.ts';
import { failingRequirement, installerEnv, runInstaller } from './installer.ts';
import { ignoreMissing } from '../../engine/errors/index.ts';

/** What {@link buildNodeEnvironment} needs. */
export interface NodeBuildSpec {
  /** The pack's ref, for error messages. */
  pack: string;
  packageJson: string;
  /** package-lock.json, verbatim: present → `npm ci` (exactly the locked tree). */
  packageLock: string | undefined;
  /** The Node that runs the pack's actions; npm and install scripts run under it too (same ABI). */
  node: string;
  /** The npm CLI (`npm` on PATH by default). */
  npm: string;
  /** npm's download cache (`<cacheDir>/npm-cache`), shared by every build. */
  cacheDir: string;
  timeoutMs: number;
  onLine?: (line: string) => void;
}

/** `<env>/node_modules`: the pack's dependencies, linked from the pack directory. */
export function nodeModulesOf(envDir: string): string {
  return join(envDir, 'node_modules');
}

/**
 * Writes package.json (and package-lock.json) into `dir` and installs the production
 * dependencies there: `npm ci` when there is a lock, else `npm install`, both with
 * `--omit=dev --no-audit --no-fund` and a shared cache. The Node that runs actions is first on
 * PATH, so native addons are built for the ABI they will be loaded by.
 * Throws {@link EnvironmentBuildFailed}.
 */
export async function buildNodeEnvironment(dir: string, spec: NodeBuildSpec): Promise<void> {
  await writeFile(join(dir, 'package.json'), spec.packageJson);
  if (spec.packageLock !== undefined) await writeFile(join(dir, 'package-lock.json'), spec.packageLock);
  const verb = spec.packageLock === undefined ? 'install' : 'ci';
  const env = installerEnv();
  env['PATH'] = [dirname(spec.node), env['PATH'] ?? ''].filter((p) => p !== '').join(':');
  const outcome = await runInstaller(
    {
      command: spec.npm,
      args: [verb, '--omit=dev', '--no-audit', '--no-fund', '--no-update-notifier', '--cache', spec.cacheDir],
      cwd: dir,
      env,
      timeoutMs: spec.timeoutMs,
    },
    spec.onLine,
  );
  if (!outcome.ok) {
    throw new EnvironmentBuildFailed(spec.pack, 'node', outcome.reason, outcome.tail, failingRequirement(outcome.tail));
  }
  // A package.json without dependencies installs nothing; the link still needs a target.
  await mkdir(nodeModulesOf(dir), { recursive: true });
}

/**
 * Makes the pack's code see the environment's packages: `<packDir>/node_modules` becomes a
 * symlink to `<env>/node_modules`. Node resolves `require` and `import` from the entry file's
 * directory upwards, so this works for ESM too (NODE_PATH does not) and needs no env var. The
 * pack directory is the worker's own per-digest copy, so linking into it is safe; the link is
 * replaced atomically (rename) when the environment changes (another Node version). A pack that
 * ships a real node_modules directory keeps it.
 *
 * @returns false when the pack has its own node_modules directory and nothing was linked.
 */
export async function linkNodeModules(packDir: string, envDir: string): Promise<boolean> {
  const link = join(packDir, 'node_modules');
  const target = nodeModulesOf(envDir);
  const current = await lstat(link).catch(ignoreMissing);
  if (current !== undefined && !current.isSymbolicLink()) return false;
  if (current !== undefined && (await readlink(link)) === target) return true;
  const temp = `${link}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await symlink(target, temp);
  await rename(temp, link);
  return true;
}
