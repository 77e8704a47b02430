import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Log } from '../../engine/logging/index.ts';
import { unreachableByOthers } from './isolation.ts';

/** The wrappers as shipped, beside this module (`worker-host/wrappers`). */
const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'wrappers');
let current = SOURCE;
let node = process.execPath;

/** Where the action wrappers and the launcher are read from: the shipped ones, or a staged copy. */
export function wrappersDir(): string {
  return current;
}

/** The Node binary actions run on (`nodejs` actions and the shell wrapper): this one, or a staged copy. */
export function actionNode(): string {
  return node;
}

/**
 * When the accounts actions run as cannot run this process's Node binary (a project-local Node
 * under a 0700 checkout), copies it once to `<cacheDir>/node/<version>/node`, mode 0755, and
 * runs actions on that copy from then on. Answers the binary in use.
 */
export async function stageNode(cacheDir: string, log: Log, binary: string = process.execPath): Promise<string> {
  const blocked = await unreachableByOthers(binary);
  if (blocked === undefined) return node;
  const dir = join(cacheDir, 'node', process.version);
  const target = join(dir, 'node');
  await publishCopy(binary, target, [join(cacheDir, 'node'), dir]);
  node = target;
  log('info', "this Node binary is out of the action accounts' reach; actions run on a copy in the cache", { blocked, copy: target });
  return node;
}

/**
 * Copies `source` (a file, or a directory without Python bytecode) to `target` unless it is there:
 * through a staging name and a rename, so a reader never sees half a copy, with `parents` made
 * 0755 and every copied directory and executable 0755, every other file 0644. Another worker that
 * published the same copy meanwhile wins; theirs is as good.
 */
async function publishCopy(source: string, target: string, parents: readonly string[]): Promise<void> {
  if (await stat(target).then(() => true, () => false)) return;
  for (const dir of parents) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chmod(dir, 0o755);
  }
  const staging = `${target}.${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await cp(source, staging, { recursive: true, filter: (src) => !src.endsWith('.pyc') && !src.endsWith('__pycache__') });
  const copied = (await stat(staging)).isDirectory() ? [staging, ...(await readdir(staging, { recursive: true })).map((p) => join(staging, p))] : [staging];
  for (const path of copied) {
    const mode = (await stat(path)).mode;
    await chmod(path, (mode & 0o040000) !== 0 || (mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
  await rename(staging, target).catch(async () => rm(staging, { recursive: true, force: true }));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.pyc'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * When the accounts actions run as cannot reach the shipped wrappers (a checkout under a 0700
 * directory such as `/root` or a `mktemp -d`), copies them once to `<cacheDir>/wrappers/<digest>`,
 * where they can (directories 0755, files 0644 or 0755, owned by the worker), and reads them from
 * there from then on. The digest names the content, so workers sharing a cache share a copy and a
 * new version gets its own. Answers the directory in use.
 */
export async function stageWrappers(cacheDir: string, log: Log, source: string = SOURCE): Promise<string> {
  const blocked = await unreachableByOthers(source);
  if (blocked === undefined) return current;
  const files = await filesUnder(source);
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(source, file)).update('\0').update(await readFile(file)).update('\0');
  const parent = join(cacheDir, 'wrappers');
  const target = join(parent, hash.digest('hex').slice(0, 16));
  await publishCopy(source, target, [parent]);
  current = target;
  log('info', 'the action wrappers are out of the action accounts\' reach where they are shipped; they run from a copy in the cache', { blocked, copy: target });
  return current;
}
