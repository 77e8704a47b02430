import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import * as tar from 'tar';
import { PackDirectoryRefused } from './errors.ts';

/** Build output, environments and VCS data: never part of a pack bundle. */
const EXCLUDED = new Set(['node_modules', '.venv', '__pycache__', '.git']);

/**
 * The paths to bundle under `root` (relative, `/`-separated, sorted, directories before what they
 * hold). A link to a file inside the pack is bundled as that file (a bundle holds no links); a
 * link leading out of the pack, to a directory, or nowhere, and anything that is neither a file
 * nor a directory, refuses the directory.
 */
async function bundlePaths(root: string): Promise<string[]> {
  const realRoot = await realpath(root);
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(rel === '' ? root : join(root, rel))).sort()) {
      if (EXCLUDED.has(name)) continue;
      const path = rel === '' ? name : `${rel}/${name}`;
      const info = await lstat(join(root, path));
      if (info.isDirectory()) {
        out.push(path);
        await walk(path);
      } else if (info.isFile()) {
        out.push(path);
      } else if (info.isSymbolicLink()) {
        await checkLink(realRoot, root, path);
        out.push(path);
      } else {
        throw new PackDirectoryRefused(path, 'is neither a file nor a directory (a socket, FIFO or device): a pack bundle holds regular files and directories only');
      }
    }
  };
  await walk('');
  return out;
}

/** A link may stand for a regular file inside the pack; anything else is refused, by its path. */
async function checkLink(realRoot: string, root: string, path: string): Promise<void> {
  const target = await realpath(join(root, path)).catch(() => undefined);
  if (target === undefined) throw new PackDirectoryRefused(path, 'is a symbolic link that leads nowhere: a pack bundle holds no links');
  const inside = relative(realRoot, target);
  if (inside === '' || inside === '..' || inside.startsWith('../') || isAbsolute(inside)) {
    throw new PackDirectoryRefused(path, 'is a symbolic link leading out of the pack: copy the file into the pack instead');
  }
  if (!(await stat(target)).isFile()) throw new PackDirectoryRefused(path, 'is a symbolic link to a directory: a pack bundle holds no links');
}

/**
 * A link cache that remembers nothing: tar writes a file whose inode it has seen as a hard link
 * entry, which a bundle may not hold, so every file goes in whole.
 */
class NoLinkCache extends Map<`${number}:${number}`, string> {
  override get(): undefined {
    return undefined;
  }
}

/**
 * Packs a directory as a tar.gz bundle, leaving out build output and environments, following no
 * link out of the pack.
 * @throws PackDirectoryRefused naming the path, relative to the pack, that a bundle cannot hold.
 */
export async function packDirectory(dir: string): Promise<Buffer> {
  const paths = await bundlePaths(dir);
  const chunks: Buffer[] = [];
  // follow: the links left are checked links to files inside the pack, bundled as those files.
  const stream = tar.create({ gzip: true, cwd: dir, portable: true, follow: true, noDirRecurse: true, linkCache: new NoLinkCache() }, paths);
  for await (const chunk of stream as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
