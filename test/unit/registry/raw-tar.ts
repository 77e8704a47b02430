import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';

/** One tar entry as a hostile client may write it: any type, mode, link target or declared size. */
export interface RawEntry {
  path: string;
  type?: NonNullable<HeaderData['type']>;
  body?: string | Buffer;
  linkpath?: string;
  mode?: number;
  /** The size the header declares; defaults to the body's length. */
  size?: number;
}

const BLOCK = 512;

/** The bytes of a tar archive holding exactly `entries`, headers written by hand (no file system). */
export function rawTar(entries: readonly RawEntry[], options: { end?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const header = new Header({
      path: e.path,
      type: e.type ?? 'File',
      mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644),
      size: e.size ?? body.length,
      linkpath: e.linkpath ?? '',
      uid: 0,
      gid: 0,
      mtime: new Date(0),
    });
    const block = Buffer.alloc(BLOCK);
    header.encode(block, 0);
    blocks.push(block, body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  if (options.end !== false) blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

/** {@link rawTar}, gzipped: what `POST /v1/packs` receives. */
export function rawBundle(entries: readonly RawEntry[], options: { end?: boolean } = {}): Uint8Array {
  return new Uint8Array(gzipSync(rawTar(entries, options)));
}

/** A minimal valid pack: pack.yaml and one shell action. */
export const VALID_PACK: RawEntry[] = [
  { path: 'pack.yaml', body: 'ref: hostile\nname: hostile\nversion: 1.0.0\ndescription: x\nauthor: t\n' },
  { path: 'actions', type: 'Directory' },
  { path: 'actions/run.yaml', body: 'name: run\nrunner_type: local-shell-script\nentry_point: run.sh\n' },
  { path: 'actions/run.sh', body: 'echo hi\n', mode: 0o755 },
];
