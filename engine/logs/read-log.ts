import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { logPrefix, type LogStreamName } from './keys.ts';

/** A piece of one stream's stored log. */
export interface LogPage {
  /** The bytes from `offset`: at most the page size asked for. */
  bytes: Buffer;
  offset: number;
  /** Where the next page starts; equal to `size` when this page reached the end of what is stored. */
  nextOffset: number;
  /** Bytes stored so far (the log grows while the action runs). */
  size: number;
}

/**
 * Part of one stream's stored log: the bytes `[offset, offset + maxBytes)` of its segments in
 * offset order. Only the segments that overlap are read, a partial one with a byte range, so
 * neither a reader following a running action nor a large log costs more than the page asked for.
 */
export async function readLog(
  s3: S3Client,
  bucket: string,
  executionId: string,
  stream: LogStreamName,
  range: { offset?: number; maxBytes?: number } = {},
): Promise<LogPage> {
  const segments: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: logPrefix(executionId, stream), ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) if (o.Key) segments.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  segments.sort((a, b) => (a.key < b.key ? -1 : 1));
  const size = segments.reduce((n, s) => n + s.size, 0);
  const offset = Math.min(range.offset ?? 0, size);
  const end = Math.min(size, offset + (range.maxBytes ?? Number.POSITIVE_INFINITY));
  const parts: Buffer[] = [];
  let at = 0;
  for (const { key, size: length } of segments) {
    const [from, to] = [Math.max(offset, at), Math.min(end, at + length)];
    if (from < to) {
      const whole = from === at && to === at + length;
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(whole ? {} : { Range: `bytes=${from - at}-${to - at - 1}` }) }));
      parts.push(Buffer.from(await got.Body!.transformToByteArray()));
    }
    at += length;
    if (at >= end) break;
  }
  return { bytes: Buffer.concat(parts), offset, nextOffset: end, size };
}
