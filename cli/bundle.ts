import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
// The engine's own packer (bundle.ts, not the registry's index: that one loads the AWS SDK), so the
// CLI and `attune dev` leave out the same directories (node_modules, .venv, __pycache__, .git).
import { PackDirectoryRefused, packDirectory } from '../engine/registry/bundle.ts';
import { UsageError } from './errors.ts';
import { ignoreMissing } from '../engine/errors/index.ts';

/**
 * Packs a pack directory as a tar.gz with pack.yaml at the archive root, without dependency,
 * cache and VCS directories. Refuses a directory without pack.yaml before any upload, and one
 * holding a link out of the pack (a link to a file inside it is bundled as that file).
 * @example const bundle = await bundlePack('packs/examples'); // gzip bytes for POST /v1/packs
 */
export async function bundlePack(dir: string): Promise<Uint8Array> {
  const root = resolve(dir);
  const info = await stat(root).catch(ignoreMissing);
  if (!info?.isDirectory()) throw new UsageError(`${dir} is not a directory: expected a pack directory holding pack.yaml`);
  if (!(await stat(join(root, 'pack.yaml')).catch(ignoreMissing))?.isFile()) throw new UsageError(`${dir} has no pack.yaml: expected a pack directory`);
  try {
    return new Uint8Array(await packDirectory(root));
  } catch (error) {
    if (error instanceof PackDirectoryRefused) throw new UsageError(`${dir}: ${error.message}`, { cause: error });
    throw error;
  }
}
