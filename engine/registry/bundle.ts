import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_LIMITS, type BundleLimits } from './bundle-limits.ts';
import { BundleRefused, BundleUnpackFailed } from './errors.ts';
import { unpackInto } from './unpack.ts';

export { packDirectory } from './pack-directory.ts';
export { BUNDLE_LIMITS, BundleRefused, BundleUnpackFailed };
export { PackDirectoryRefused } from './errors.ts';
export type { BundleLimits };

/** Content address of a bundle: the sha256 of its bytes. */
export function bundleDigest(bundle: Uint8Array): string {
  return createHash('sha256').update(bundle).digest('hex');
}

/** Where and how far a bundle is unpacked; the defaults are registration's. */
export interface ExtractOptions {
  /** Bounds on entries and bytes; each one not given is {@link BUNDLE_LIMITS}'. */
  limits?: Partial<BundleLimits>;
}

/**
 * Extracts a bundle into `dest` (created). A bundle holds regular files and directories only: a
 * link, a device, an absolute path or a `..` segment refuses it, as does passing the limits. Modes
 * are normalised (755 or 644; no setuid, setgid or sticky bit). Returns the pack root: `dest`, or
 * its one top folder when pack.yaml sits there.
 * @throws BundleRefused naming the entry or limit at fault (never a server path).
 */
export async function extractBundle(bundle: Uint8Array, dest: string, options: ExtractOptions = {}): Promise<string> {
  await mkdir(dest, { recursive: true });
  await unpackInto(bundle, dest, { ...BUNDLE_LIMITS, ...options.limits });
  if (await isFile(join(dest, 'pack.yaml'))) return dest;
  const top = (await readdir(dest)).filter((e) => !e.startsWith('.'));
  if (top.length === 1 && (await isFile(join(dest, top[0] as string, 'pack.yaml')))) return join(dest, top[0] as string);
  throw new BundleRefused('the bundle holds no pack.yaml at its root or in a single top folder');
}

/**
 * Extracts a bundle into a fresh temporary directory under `tempDir` (default: the system's);
 * `dispose` removes it. A refused bundle leaves nothing behind: every write has finished before
 * the directory is removed.
 */
export async function extractToTemp(bundle: Uint8Array, options: ExtractOptions & { tempDir?: string } = {}): Promise<{ root: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'attune-pack-')).catch((error: unknown) => {
    throw new BundleUnpackFailed(`no room to unpack the bundle (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  });
  const dispose = () => rm(dir, { recursive: true, force: true, maxRetries: 3 });
  try {
    return { root: await extractBundle(bundle, dir, options), dispose };
  } catch (err) {
    await dispose().catch((error: unknown) => {
      throw new BundleUnpackFailed(`the refused bundle's files could not be removed (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
    });
    throw err;
  }
}

/** A regular file, not a link to one. */
async function isFile(path: string): Promise<boolean> {
  return lstat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
