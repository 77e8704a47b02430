import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EnvironmentKind } from './errors.ts';
import { withFileLock, type FileLockOptions } from './file-lock.ts';
import { environmentName } from './key.ts';
import { removeWriteForOthers } from './permissions.ts';
import { ignoreMissing } from '../../engine/errors/index.ts';

/** An environment present in the store. */
export interface StoredEnvironment {
  /** `<root>/<kind>-<key>`: what every caller uses; a symlink to the build directory. */
  dir: string;
  /** True when this call built it, false when it was there already (or another process built it). */
  built: boolean;
}

/** Whether an environment is usable now, being built by some process, or neither. */
export type EnvironmentState = 'ready' | 'building' | 'missing';

/** Fills a fresh empty directory with an environment. Rejecting leaves nothing behind. */
export type EnvironmentBuilder = (buildDir: string) => Promise<void>;

/** The record written into every environment, for people looking at the cache. */
export const MANIFEST_FILE = 'attune-environment.json';

/**
 * Environments under `<cacheDir>/envs`, each built once per key however many executions and
 * worker processes ask at the same time:
 * - in this process, concurrent callers share one pending promise per environment;
 * - across processes, the builder holds `.locks/<kind>-<key>.lock` ({@link withFileLock}); a
 *   process that waited finds the environment published and does not build;
 * - a build happens in `.<kind>-<key>.XXXXXX` beside its final name, and is published by creating
 *   the symlink `<kind>-<key>` → that directory. symlink(2) is atomic and fails if the name exists,
 *   like renaming into place, but the venv never moves: the absolute paths pip and venv write
 *   into `bin/` (script shebangs, activate) stay right;
 * - a failed build is removed, never published, and its promise forgotten: the next call retries.
 */
export class EnvironmentStore {
  readonly root: string;
  readonly #pending = new Map<string, Promise<StoredEnvironment>>();
  readonly #lockOptions: FileLockOptions;

  constructor(root: string, lockOptions: FileLockOptions = {}) {
    this.root = root;
    this.#lockOptions = lockOptions;
  }

  /** `<root>/<kind>-<key>`, whether or not it exists. */
  pathOf(kind: EnvironmentKind, key: string): string {
    return join(this.root, environmentName(kind, key));
  }

  /** The environment, built by `build` unless present. A cache hit costs one stat. */
  async ensure(kind: EnvironmentKind, key: string, build: EnvironmentBuilder, manifest: Record<string, unknown>): Promise<StoredEnvironment> {
    const dir = this.pathOf(kind, key);
    const name = environmentName(kind, key);
    const pending = this.#pending.get(name);
    // Joining a look or build already under way: the environment is not this caller's build.
    if (pending) return pending.then((stored) => ({ ...stored, built: false }));
    // Registered before the first await, so the first caller owns the build whichever stat
    // completes first.
    const started = (async () => ((await isDir(dir)) ? { dir, built: false } : this.#lockAndBuild(name, dir, build, { kind, key, ...manifest })))().finally(() => this.#pending.delete(name));
    this.#pending.set(name, started);
    return started;
  }

  /** `ready`, `building` (a lock is held, here or in another process), or `missing`. */
  async state(kind: EnvironmentKind, key: string): Promise<EnvironmentState> {
    const name = environmentName(kind, key);
    if (await isDir(join(this.root, name))) return 'ready';
    if (this.#pending.has(name)) return 'building';
    return (await exists(this.#lockPath(name))) ? 'building' : 'missing';
  }

  #lockPath(name: string): string {
    return join(this.root, '.locks', `${name}.lock`);
  }

  async #lockAndBuild(name: string, dir: string, build: EnvironmentBuilder, manifest: Record<string, unknown>): Promise<StoredEnvironment> {
    await mkdir(join(this.root, '.locks'), { recursive: true });
    return withFileLock(this.#lockPath(name), async () => {
      // Whoever held the lock before us may have built it.
      if (await isDir(dir)) return { dir, built: false };
      await this.#removeLeftovers(name, dir);
      const buildDir = await mkdtemp(join(this.root, `.${name}.`));
      let published = false;
      try {
        await chmod(buildDir, 0o755); // mkdtemp makes it 0700; environments are read by every action
        await build(buildDir);
        await removeWriteForOthers(buildDir);
        await writeFile(join(buildDir, MANIFEST_FILE), `${JSON.stringify({ ...manifest, builtAt: new Date().toISOString(), pid: process.pid }, null, 2)}\n`);
        try {
          await symlink(basename(buildDir), dir);
        } catch (err) {
          // Only if a lock was broken under a live builder: theirs is as good as ours.
          if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await isDir(dir))) return { dir, built: false };
          throw err;
        }
        published = true;
        return { dir, built: true };
      } finally {
        if (!published) await rm(buildDir, { recursive: true, force: true });
      }
    }, this.#lockOptions);
  }

  /**
   * With the lock held and the environment unpublished, any `.<name>.*` directory is a build of
   * a process that died mid-way, and a `<name>` link pointing nowhere is one whose target was
   * deleted by hand. Both go.
   */
  async #removeLeftovers(name: string, dir: string): Promise<void> {
    if (await lstat(dir).then(() => true, () => false)) await unlink(dir).catch(ignoreMissing);
    const entries = await readdir(this.root).catch(() => [] as string[]);
    await Promise.all(entries.filter((e) => e.startsWith(`.${name}.`)).map((e) => rm(join(this.root, e), { recursive: true, force: true })));
  }
}

/** Reads an environment's manifest; undefined when it has none (a build from an older format). */
export async function readManifest(dir: string): Promise<Record<string, unknown> | undefined> {
  return readFile(join(dir, MANIFEST_FILE), 'utf8').then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    () => undefined,
  );
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
