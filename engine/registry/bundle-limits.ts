/**
 * Bounds on what one pack bundle may unpack to. Each is far above what a real pack needs (the
 * StackStorm Exchange's largest packs hold a few hundred actions and a few MiB) and far below what
 * would fill a Lambda's /tmp (512 MiB) or a worker's cache.
 */
export interface BundleLimits {
  /** Bytes of all files together, once unpacked. */
  maxTotalBytes: number;
  /** Files and directories in the bundle. */
  maxEntries: number;
  /** Bytes of any one file. */
  maxFileBytes: number;
}

/** The limits registration and the workers' pack cache apply (docs/settings.md, "Limits"). */
export const BUNDLE_LIMITS: Readonly<BundleLimits> = {
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 20_000,
  maxFileBytes: 64 * 1024 * 1024,
};

/**
 * Tar framing per entry on top of its bytes: a header block, padding to 512, and room for a pax
 * header (long names). Bounds the decompressed archive at maxTotalBytes + maxEntries × this, so a
 * stream of zeros past the end of the archive is not decompressed forever.
 */
export const TAR_FRAMING_BYTES_PER_ENTRY = 2048;
