import { AttuneError } from '../errors/index.ts';

/**
 * A pack bundle holds something a pack may not: a link, a device, a path out of the pack, or more
 * than the limits allow. The message names the entry as the bundle spells it, never a server path.
 */
export class BundleRefused extends AttuneError {
  override name = 'BundleRefused';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'invalid_bundle', status: 400, field: 'bundle', ...options });
  }
}

/** Unpacking failed on the server's side (a full disk); the message names the error code only. */
export class BundleUnpackFailed extends AttuneError {
  override name = 'BundleUnpackFailed';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'bundle_unpack_failed', status: 500, ...options });
  }
}

/**
 * A pack directory holds what a bundle may not carry: a link leading out of the pack or to a
 * directory, or a socket, FIFO or device. The message names the path relative to the pack.
 */
export class PackDirectoryRefused extends AttuneError {
  override name = 'PackDirectoryRefused';
  /** The offending path, relative to the pack directory. */
  readonly path: string;
  constructor(path: string, why: string) {
    super(`${path} ${why}`, { code: 'invalid_pack_directory', status: 400 });
    this.path = path;
  }
}
