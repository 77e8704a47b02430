import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Takes group and other write off everything under `dir` (links are left alone: their mode is
 * not used). An environment is built by the worker and run by every action account: whatever
 * mode an installer or a package's files asked for, no account may change what the next run
 * imports.
 */
export async function removeWriteForOthers(dir: string): Promise<void> {
  const info = await lstat(dir);
  if (info.isSymbolicLink()) return;
  if ((info.mode & 0o022) !== 0) await chmod(dir, info.mode & 0o7755);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(dir)) await removeWriteForOthers(join(dir, entry));
}
