import { chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { extractBundle, type Registry } from '../engine/registry/index.ts';

/**
 * Pack directories on the worker, one per bundle digest under `<cacheDir>/packs/<digest>`.
 * Owned by the worker, readable by every action account and writable by none (directories 0755,
 * files 0644 or 0755 as unpacked): an action cannot change the code the next run trusts.
 * Bundles are content-addressed, so a cached directory is never stale. Materialized aside and
 * renamed into place, so a reader never sees half a pack, however many executions race.
 */
export class PackCache {
  readonly #root: string;
  readonly #registry: Registry;
  readonly #pending = new Map<string, Promise<string>>();

  constructor(cacheDir: string, registry: Registry) {
    this.#root = join(cacheDir, 'packs');
    this.#registry = registry;
  }

  /** The extracted pack root for a bundle digest, fetched from S3 on first use. */
  async ensure(digest: string): Promise<string> {
    const dir = join(this.#root, digest);
    if (await isDir(dir)) return join(dir, 'pack');
    let pending = this.#pending.get(digest);
    if (!pending) {
      pending = this.#materialize(digest, dir).finally(() => this.#pending.delete(digest));
      this.#pending.set(digest, pending);
    }
    return pending;
  }

  async #materialize(digest: string, dir: string): Promise<string> {
    await mkdir(this.#root, { recursive: true, mode: 0o755 });
    await chmod(this.#root, 0o755);
    const staging = await mkdtemp(join(this.#root, `.${digest.slice(0, 12)}-`));
    try {
      const bundle = await this.#registry.readBundle(`bundles/${digest}.tar.gz`);
      const root = await extractBundle(bundle, join(staging, 'extract'));
      await rename(root, join(staging, 'pack'));
      // mkdtemp made it 0700: actions running as accounts of their own read the pack through it.
      await chmod(staging, 0o755);
      await rename(staging, dir).catch(async (err: NodeJS.ErrnoException) => {
        // Another worker process got there first: theirs is identical.
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
      return join(dir, 'pack');
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
