import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { collectPages } from '../data/index.ts';
import { logPrefix, segmentKey, type LogStreamName } from './keys.ts';

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

/** Writes one segment: the bytes of a stream from `offset`, `length` long. */
export async function putLogSegment(s3: S3Client, bucket: string, executionId: string, stream: LogStreamName, offset: number, body: Readable | Buffer, length: number): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: segmentKey(executionId, stream, offset), Body: body, ContentLength: length, ContentType: 'application/octet-stream' }),
  );
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
  const segments = await collectPages<{ key: string; size: number }, string>(async (token) => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: logPrefix(executionId, stream), ...(token ? { ContinuationToken: token } : {}) }));
    const items = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ key: o.Key, size: o.Size ?? 0 }] : []));
    return { items, next: page.IsTruncated ? page.NextContinuationToken : undefined };
  });
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
