import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Largest pack file the loader reads (YAML, requirements.txt, package.json): the bundle's per-file
 * limit is larger, but metadata never comes near this.
 */
export const MAX_PACK_TEXT_BYTES = 16 * 1024 * 1024;

/** A pack file's text, absent, or why it was not read (the reason names no server path). */
export type PackTextRead = { ok: true; text: string } | { ok: false; missing: true } | { ok: false; missing: false; reason: string };

// O_NOFOLLOW: a link as the file itself is refused by the kernel (ELOOP), not followed.
// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Why `rel`'s directories (everything before the last segment) cannot be walked into, if they
 * cannot: each must be a real directory, not a link.
 */
async function parentsRefused(root: string, rel: string): Promise<{ missing: boolean; reason?: string }> {
  const segments = rel.split('/');
  let dir = root;
  for (const [i, segment] of segments.slice(0, -1).entries()) {
    dir = join(dir, segment);
    const shown = segments.slice(0, i + 1).join('/');
    const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (info === undefined) return { missing: true };
    if (info.isSymbolicLink()) return { missing: false, reason: `${shown} is a symbolic link: a pack holds regular files and directories only` };
    if (!info.isDirectory()) return { missing: true };
  }
  return { missing: false };
}

/**
 * Reads a file of the pack at `root` (`rel` is `/`-separated, relative to the pack) as UTF-8,
 * following no link: neither the file nor any directory on the way may be one. Defence in depth
 * behind the bundle check, which already refuses links.
 */
export async function readPackText(root: string, rel: string): Promise<PackTextRead> {
  const parents = await parentsRefused(root, rel);
  if (parents.reason !== undefined) return { ok: false, missing: false, reason: parents.reason };
  if (parents.missing) return { ok: false, missing: true };
  let handle;
  try {
    handle = await open(join(root, rel), READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true };
    if (code === 'ELOOP') return { ok: false, missing: false, reason: 'is a symbolic link: a pack holds regular files and directories only' };
    return { ok: false, missing: false, reason: `cannot read: ${code ?? 'error'}` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, missing: false, reason: 'is not a regular file' };
    if (info.size > MAX_PACK_TEXT_BYTES) return { ok: false, missing: false, reason: `holds ${info.size} bytes: a pack's metadata file may hold at most ${MAX_PACK_TEXT_BYTES}` };
    return { ok: true, text: await handle.readFile('utf8') };
  } catch (error) {
    return { ok: false, missing: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  } finally {
    await handle.close();
  }
}

/**
 * The names of the regular files directly in the pack directory `rel` (`actions`), none when it
 * is absent; refused when it is a link (a pack directory is never read through a link).
 */
export async function listPackFiles(root: string, rel: string): Promise<{ ok: true; names: string[] } | { ok: false; reason: string }> {
  const info = await lstat(join(root, rel)).catch(() => undefined);
  if (info === undefined || (!info.isDirectory() && !info.isSymbolicLink())) return { ok: true, names: [] };
  if (info.isSymbolicLink()) return { ok: false, reason: 'is a symbolic link: a pack holds regular files and directories only' };
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  // Dirent types come from the directory itself (lstat's view): a link is never isFile().
  return { ok: true, names: entries.filter((e) => e.isFile()).map((e) => e.name) };
}
