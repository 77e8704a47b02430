import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/** A resolved entry point (`actions/greet.py`, relative to the pack root) or why it is refused. */
export type EntryPointResolution = { ok: true; path: string } | { ok: false; message: string };

/**
 * Resolves an st2 `entry_point` (relative to the pack's `actions/` directory, or to `base`: a
 * sensor's is relative to `sensors/`) to a file inside the pack. Refuses absolute paths, `..`
 * segments, missing files, and symlinks leading out of the pack.
 */
export async function resolveEntryPoint(packRoot: string, entryPoint: string, base = 'actions'): Promise<EntryPointResolution> {
  if (isAbsolute(entryPoint) || /^[A-Za-z]:|^[\\/]/.test(entryPoint)) {
    return { ok: false, message: `must be a path relative to ${base}/, received absolute path ${JSON.stringify(entryPoint)}` };
  }
  if (entryPoint.split(/[\\/]/).includes('..')) {
    return { ok: false, message: `must stay inside the pack: ".." is not allowed, received ${JSON.stringify(entryPoint)}` };
  }
  const candidate = join(packRoot, base, entryPoint);
  const shown = `${base}/${entryPoint}`;
  let real: string;
  try {
    real = await realpath(candidate);
    if (!(await stat(real)).isFile()) return { ok: false, message: `${shown} is not a file` };
  } catch {
    return { ok: false, message: `${shown} does not exist` };
  }
  const inside = relative(await realpath(packRoot), real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { ok: false, message: `${shown} leads outside the pack (symbolic link)` };
  }
  return { ok: true, path: relative(packRoot, candidate).split(sep).join('/') };
}
