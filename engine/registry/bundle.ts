import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';

/** Content address of a bundle: the sha256 of its bytes. */
export function bundleDigest(bundle: Uint8Array): string {
  return createHash('sha256').update(bundle).digest('hex');
}

/** Packs a directory as a tar.gz bundle, leaving out build output and environments. */
export async function packDirectory(dir: string): Promise<Buffer> {
  const entries = (await readdir(dir)).filter((e) => !EXCLUDED.has(e));
  const chunks: Buffer[] = [];
  const stream = tar.create({ gzip: true, cwd: dir, portable: true, filter: (path) => !path.split('/').some((p) => EXCLUDED.has(p)) }, entries);
  for await (const chunk of stream as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const EXCLUDED = new Set(['node_modules', '.venv', '__pycache__', '.git']);

/**
 * Extracts a bundle into `dest` (created). tar refuses absolute paths and `..` entries, and links
 * are not followed out of the directory. Returns the pack root: `dest`, or its one top folder when
 * pack.yaml sits there.
 */
export async function extractBundle(bundle: Uint8Array, dest: string): Promise<string> {
  await mkdir(dest, { recursive: true });
  await pipeline(Readable.from([Buffer.from(bundle)]), tar.extract({ cwd: dest, strict: true, preservePaths: false }));
  if (await exists(join(dest, 'pack.yaml'))) return dest;
  const top = (await readdir(dest)).filter((e) => !e.startsWith('.'));
  if (top.length === 1 && (await exists(join(dest, top[0] as string, 'pack.yaml')))) return join(dest, top[0] as string);
  throw new Error('the bundle holds no pack.yaml at its root or in a single top folder');
}

/** Extracts a bundle into a fresh temporary directory; `dispose` removes it. */
export async function extractToTemp(bundle: Uint8Array): Promise<{ root: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'attune-pack-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    return { root: await extractBundle(bundle, dir), dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
