import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { LogStreamInfo } from '../engine/executions/index.ts';
import type { StreamMasker } from '../engine/secrets/index.ts';
import { METRIC, processMetrics } from '../engine/metrics/index.ts';

/**
 * The sink of one output stream: masks, then writes to the bounded log. Once the log is full the
 * masker is skipped (what follows is only counted, never stored), so a chatty action costs a
 * byte count, not a scan; `end` flushes what the masker held back.
 */
export function maskedLogSink(log: BoundedLog, masker: StreamMasker): { write(chunk: Buffer): Promise<void>; end(): Promise<void> } {
  let ended: Promise<void> | undefined;
  return {
    write: (chunk) => log.write(log.full ? chunk : masker.push(chunk)),
    // Once only: a caller that needs the whole log before the run's cleanup ends it early.
    end: () => (ended ??= log.write(masker.end())),
  };
}

/**
 * One output stream of one execution: kept on local disk up to `limitBytes` (never in memory),
 * past that drained and counted. `flush` uploads what was written since the last flush as a new
 * S3 segment, so the stored log grows while the action runs and nothing is uploaded twice; the
 * child is never slowed by S3, only by the local disk. The log ends with a notice when bytes
 * were dropped.
 */
export class BoundedLog {
  readonly #path: string;
  #limit: number;
  #file: FileHandle | undefined;
  #written = 0;
  #dropped = 0;
  #closed = false;
  #flushed = 0;
  #flushing: Promise<void> = Promise.resolve();

  constructor(path: string, limitBytes: number) {
    this.#path = path;
    this.#limit = limitBytes;
  }

  /** Sets the limit before anything is written (an action's own `log_limit_bytes`). */
  setLimit(limitBytes: number): void {
    if (this.#written === 0 && this.#dropped === 0) this.#limit = limitBytes;
  }

  /** True once the limit is reached: whatever comes next is only counted. */
  get full(): boolean {
    return this.#written >= this.#limit;
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

  /**
   * The first `maxBytes` of what was written (the notice of a close left out), as text cut on a
   * character boundary.
   */
  async head(maxBytes: number): Promise<string> {
    // One byte past the cut tells whether the cut split a character.
    const length = Math.min(this.#written, maxBytes + 1);
    if (length === 0) return '';
    const file = await open(this.#path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, 0);
      if (bytesRead <= maxBytes) return buffer.subarray(0, bytesRead).toString('utf8');
      let end = maxBytes;
      while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--;
      return buffer.subarray(0, end).toString('utf8');
    } finally {
      await file.close();
    }
  }

  /** Ends the log, adding the truncation notice when anything was dropped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#file ??= await open(this.#path, 'a', 0o600);
    if (this.#dropped > 0) {
      processMetrics().count(METRIC.outputTruncations);
      await this.#file.write(`\n[attune] output truncated: ${this.#dropped} bytes dropped after the first ${this.#written} bytes (limit ${this.#limit})\n`);
    }
    await this.#file.close();
  }

  /** Uploads the bytes written since the last flush as one segment (flushes never overlap). */
  flush(upload: (offset: number, body: Readable, length: number) => Promise<void>): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      const size = await stat(this.#path).then(
        (s) => s.size,
        () => 0,
      );
      if (size <= this.#flushed) return;
      const start = this.#flushed;
      await upload(start, createReadStream(this.#path, { start, end: size - 1 }), size - start);
      this.#flushed = size;
    });
    return this.#flushing;
  }

  info(): LogStreamInfo {
    return { bytes: this.#written, truncated: this.#dropped > 0, droppedBytes: this.#dropped };
  }
}
