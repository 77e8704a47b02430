import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { LogStreamInfo } from '../engine/executions/index.ts';

/**
 * One output stream of one execution: kept on local disk up to `limitBytes` (never in memory),
 * past that drained and counted, and copied to S3 on `flush`. The stored log ends with a notice
 * when bytes were dropped.
 */
export class BoundedLog {
  readonly #path: string;
  readonly #limit: number;
  #file: FileHandle | undefined;
  #written = 0;
  #dropped = 0;
  #closed = false;

  constructor(path: string, limitBytes: number) {
    this.#path = path;
    this.#limit = limitBytes;
  }

  /** Appends what fits under the limit; the rest is only counted. Awaiting it is backpressure. */
  async write(chunk: Buffer): Promise<void> {
    const room = this.#limit - this.#written;
    if (room <= 0) {
      this.#dropped += chunk.length;
      return;
    }
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.#file ??= await open(this.#path, 'a', 0o600);
    await this.#file.write(part);
    this.#written += part.length;
    this.#dropped += chunk.length - part.length;
  }

  /** Ends the log, adding the truncation notice when anything was dropped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#file ??= await open(this.#path, 'a', 0o600);
    if (this.#dropped > 0) {
      await this.#file.write(`\n[attune] output truncated: ${this.#dropped} bytes dropped after the first ${this.#written} bytes (limit ${this.#limit})\n`);
    }
    await this.#file.close();
  }

  /** Copies what is on disk so far to S3 (the live view while running, the whole log after close). */
  async flush(s3: S3Client, bucket: string, key: string): Promise<void> {
    const size = await stat(this.#path).then(
      (s) => s.size,
      () => 0,
    );
    const body = size === 0 ? '' : createReadStream(this.#path, { start: 0, end: size - 1 });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: size, ContentType: 'text/plain; charset=utf-8' }));
  }

  info(): LogStreamInfo {
    return { bytes: this.#written, truncated: this.#dropped > 0, droppedBytes: this.#dropped };
  }
}
