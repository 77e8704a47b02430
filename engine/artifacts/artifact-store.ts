import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { resultKey, type LogStreamName } from './keys.ts';
import { putLogSegment, readLog, type LogPage } from './log-segments.ts';

/** Results above this size go to S3 with a pointer: a DynamoDB item holds at most 400 KB. */
export const INLINE_RESULT_LIMIT_BYTES = 256 * 1024;

/** A result as the execution record keeps it: inline, or a pointer to the object holding it. */
export interface ResultPointer {
  $ref: string;
  bytes: number;
}

/**
 * What executions leave in the artifacts bucket: log segments (written while the action runs,
 * read in pages) and results too large for their record. The only reader and writer of these
 * S3 formats.
 */
export class ArtifactStore {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  /** Uploads the bytes of `stream` from `offset` as one segment; segments are never rewritten. */
  putLogSegment(executionId: string, stream: LogStreamName, offset: number, body: Readable | Buffer, length: number): Promise<void> {
    return putLogSegment(this.#s3, this.#bucket, executionId, stream, offset, body, length);
  }

  /** A page of one stream's stored log (see readLog). */
  readLog(executionId: string, stream: LogStreamName, range: { offset?: number; maxBytes?: number } = {}): Promise<LogPage> {
    return readLog(this.#s3, this.#bucket, executionId, stream, range);
  }

  /**
   * The form a result is stored in on the record: the value itself when it fits, otherwise a
   * pointer to the JSON written to S3 now. `undefined` stays undefined (no result).
   */
  async storeResult(executionId: string, result: unknown, inlineLimitBytes = INLINE_RESULT_LIMIT_BYTES): Promise<unknown> {
    if (result === undefined) return undefined;
    const json = JSON.stringify(result);
    const bytes = Buffer.byteLength(json);
    if (bytes <= inlineLimitBytes) return result;
    const Key = resultKey(executionId);
    await this.#s3.send(new PutObjectCommand({ Bucket: this.#bucket, Key, Body: json, ContentType: 'application/json' }));
    return { $ref: Key, bytes } satisfies ResultPointer;
  }

  /** The full result of an execution: a stored pointer is followed, anything else is the result. */
  async readResult(executionId: string, stored: unknown): Promise<unknown> {
    const ref = (stored as Partial<ResultPointer> | null | undefined)?.$ref;
    if (typeof ref !== 'string' || ref !== resultKey(executionId)) return stored;
    const got = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: ref }));
    return JSON.parse(await got.Body!.transformToString('utf8')) as unknown;
  }
}
