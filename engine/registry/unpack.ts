import { chmodSync, closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { TAR_FRAMING_BYTES_PER_ENTRY, type BundleLimits } from './bundle-limits.ts';
import { BundleRefused, BundleUnpackFailed } from './errors.ts';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const REFUSED_TYPES: Record<string, string> = {
  SymbolicLink: 'a symbolic link',
  Link: 'a hard link',
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a FIFO',
};
// O_NOFOLLOW and O_EXCL: nothing that already exists is written through, least of all a link.
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const SHOWN_PATH_CHARS = 200;

/** `"actions/x.sh"`, cut to a readable length: the entry as the bundle spells it. */
function shown(path: string): string {
  return JSON.stringify(path.length > SHOWN_PATH_CHARS ? `${path.slice(0, SHOWN_PATH_CHARS)}…` : path);
}

/** The entry's path as segments inside the pack (`./a//b/` → [a, b]); refuses any way out. */
function safeSegments(path: string): string[] {
  if (path.startsWith('/')) throw new BundleRefused(`entry ${shown(path)} is an absolute path: a pack bundle holds paths relative to the pack`);
  if ([...path].some((c) => c.charCodeAt(0) < 0x20)) throw new BundleRefused(`entry ${shown(path)} has a control character in its path`);
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new BundleRefused(`entry ${shown(path)} has a ".." segment: a pack bundle holds paths inside the pack`);
  return segments;
}

/** Regular files keep only their executable bit; nothing setuid, setgid, sticky or world-writable. */
const fileMode = (mode: number | undefined): number => ((mode ?? 0) & 0o111 ? 0o755 : 0o644);
const DIR_MODE = 0o755;

/**
 * Writes a tar (optionally gzipped) into the empty directory `dest`, holding it to regular files
 * and directories within `limits`. Every file system call is synchronous and made as the archive is
 * read, so when this settles (either way) nothing is still being written: the caller may remove
 * `dest` at once.
 *
 * @throws BundleRefused naming the first entry at fault, or the limit passed.
 * @throws BundleUnpackFailed when the server cannot write (a full disk), naming only the error code.
 */
export async function unpackInto(bundle: Uint8Array, dest: string, limits: BundleLimits): Promise<void> {
  const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const gzipped = bytes.subarray(0, 2).equals(GZIP_MAGIC);
  const source = gzipped ? Readable.from([bytes]).pipe(createGunzip()) : Readable.from([bytes]);
  const archiveLimit = limits.maxTotalBytes + limits.maxEntries * TAR_FRAMING_BYTES_PER_ENTRY;

  let failure: unknown;
  // Data and the end of an entry may come while the 'entry' handler still runs (the parser hands
  // over what it has buffered at once), so each file closes its own descriptor.
  const open = new Set<number>();
  let entries = 0;
  let total = 0;
  const seen = new Map<string, 'file' | 'directory'>();
  const parser = new Parser({ strict: true });
  parser.on('error', (error: Error) => {
    failure ??= new BundleRefused(`the bundle is not a valid tar archive: ${error.message.replace(/^TAR_\w+: /, '')}`, { cause: error });
  });
  parser.on('entry', (entry: ReadEntry) => {
    if (failure !== undefined) {
      entry.resume();
      return;
    }
    try {
      writeEntry(entry);
    } catch (error) {
      failure ??= error;
      entry.resume();
    }
  });

  /** Checks one entry and makes its directory, or its file and the writing of its data. */
  const writeEntry = (entry: ReadEntry): void => {
    entries += 1;
    if (entries > limits.maxEntries) throw new BundleRefused(`the bundle holds more than ${limits.maxEntries} entries: a pack may hold at most ${limits.maxEntries}`);
    const refusedType = REFUSED_TYPES[entry.type];
    if (refusedType !== undefined) throw new BundleRefused(`entry ${shown(entry.path)} is ${refusedType}: a pack bundle holds regular files and directories only`);
    const isFile = FILE_TYPES.has(entry.type);
    if (!isFile && entry.type !== 'Directory') throw new BundleRefused(`entry ${shown(entry.path)} is of tar type ${entry.type}: a pack bundle holds regular files and directories only`);
    const segments = safeSegments(entry.path);
    const key = segments.join('/');
    const before = seen.get(key);
    // A directory may be listed twice (harmless); a file never: the second would replace the first.
    if (before === 'file' || (before !== undefined && isFile)) throw new BundleRefused(`entry ${shown(entry.path)} appears twice in the bundle`);
    seen.set(key, isFile ? 'file' : 'directory');
    if (!isFile) {
      if (segments.length > 0) onDisk(entry.path, () => mkdirAll(dest, segments));
      // Read to its end, or the parser waits for it forever.
      entry.resume();
      return;
    }
    if (segments.length === 0) throw new BundleRefused(`entry ${shown(entry.path)} is a file without a name`);
    const size = entry.size ?? 0;
    if (size > limits.maxFileBytes) throw new BundleRefused(`entry ${shown(entry.path)} holds ${size} bytes: a pack file may hold at most ${limits.maxFileBytes} bytes`);
    total += size;
    if (total > limits.maxTotalBytes) throw new BundleRefused(`the bundle holds more than ${limits.maxTotalBytes} bytes once unpacked: a pack may hold at most ${limits.maxTotalBytes} bytes`);
    const fd = onDisk(entry.path, () => {
      if (segments.length > 1) mkdirAll(dest, segments.slice(0, -1));
      const opened = openSync(join(dest, ...segments), CREATE_FLAGS, fileMode(entry.mode));
      open.add(opened);
      // The umask may have taken bits off; the mode is exactly this, whatever the umask.
      fchmodSync(opened, fileMode(entry.mode));
      return opened;
    });
    let written = 0;
    // 'end' first: adding the 'data' listener may hand over the whole body and end at once.
    entry.on('end', () => closeFd(fd));
    entry.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      written += chunk.length;
      // The header's size bounds the body, but the check costs nothing.
      if (written > size) failure = new BundleRefused(`entry ${shown(entry.path)} holds more bytes than its header says`);
      else onDiskSafe(entry.path, () => writeSync(fd, chunk));
    });
  };
  const onDiskSafe = (path: string, act: () => void): void => {
    try {
      onDisk(path, act);
    } catch (error) {
      failure ??= error;
    }
  };
  const closeFd = (fd: number): void => {
    if (open.delete(fd)) closeSync(fd);
  };

  let read = 0;
  let first = true;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (first && (chunk.subarray(0, 2).equals(GZIP_MAGIC) || chunk.subarray(0, 4).equals(ZSTD_MAGIC))) {
        throw new BundleRefused('the bundle is compressed twice: send one gzip tar archive');
      }
      first = false;
      read += chunk.length;
      if (read > archiveLimit) throw new BundleRefused(`the bundle unpacks to more than ${archiveLimit} bytes of archive: a pack may hold at most ${limits.maxTotalBytes} bytes`);
      parser.write(chunk);
      if (failure !== undefined) throw failure;
    }
    parser.end();
    if (failure !== undefined) throw failure;
  } catch (error) {
    if (error instanceof BundleRefused || error instanceof BundleUnpackFailed) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (gzipped && typeof code === 'string' && code.startsWith('Z_')) {
      throw new BundleRefused('the bundle is not a gzip tar archive: its compressed data is damaged', { cause: error });
    }
    throw new BundleUnpackFailed(`the bundle could not be unpacked (${code ?? (error as Error).name})`, { cause: error });
  } finally {
    source.destroy();
    for (const fd of open) closeFd(fd);
  }
}

/** Runs a file system step for an entry; an error names the entry and its code, not the path. */
function onDisk<T>(path: string, act: () => T): T {
  try {
    return act();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // An entry inside a path that a file already holds, or a second entry for one file.
    if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EISDIR') {
      throw new BundleRefused(`entry ${shown(path)} collides with another entry of the bundle`, { cause: error });
    }
    throw new BundleUnpackFailed(`the bundle could not be unpacked at entry ${shown(path)} (${code ?? (error as Error).name})`, { cause: error });
  }
}

/** Makes `dest/segments…` one level at a time, each a real directory of mode 755. */
function mkdirAll(dest: string, segments: readonly string[]): void {
  let dir = dest;
  for (const segment of segments) {
    dir = join(dir, segment);
    try {
      mkdirSync(dir, DIR_MODE);
    } catch (error) {
      // Made by an earlier entry: fine when it is a directory (lstat: a link is never followed).
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !lstatSync(dir).isDirectory()) throw error;
    }
    chmodSync(dir, DIR_MODE);
  }
}
