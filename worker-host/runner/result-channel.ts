import type { Readable } from 'node:stream';
import { z } from 'zod';
import { describeJsonSyntaxError } from '../../engine/rules/json.ts';

/** The fd the wrappers write their report on (stdio index 3 of the action process). */
export const RESULT_FD = 3;

/**
 * Env var naming the result fd. Wrappers write on fd 3 only when it is set, so a wrapper run by
 * hand (where fd 3 may be anything, even the interpreter's own) prints its report on stdout.
 */
export const RESULT_FD_ENV = 'ATTUNE_RESULT_FD';

/**
 * What every wrapper writes on fd 3, once, as one JSON document:
 * - `{ok: true, result}`: the action returned `result`;
 * - `{ok: false, result}`: the action reported failure (st2's `(False, result)`, a shell exit ≠ 0);
 * - `{ok: false, error: {type, message}}`: the action raised; the traceback went to stderr.
 */
export const WrapperReportSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
});

/** A parsed fd 3 document. See {@link WrapperReportSchema}. */
export type WrapperReport = z.infer<typeof WrapperReportSchema>;

/** What was read from the result channel: a parsed document, an error, or neither (nothing written). */
export interface ResultChannelRead {
  result?: unknown;
  resultError?: string;
}

/**
 * Reads the result channel to EOF, keeping at most `limitBytes`. Past the cap the rest is read and
 * dropped (the writer is not blocked, memory stays bounded) and the read reports "result too large".
 */
export function readResultChannel(stream: Readable, limitBytes: number): Promise<ResultChannelRead> {
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (tooLarge) return;
      if (bytes > limitBytes) {
        tooLarge = true;
        chunks = [];
        return;
      }
      chunks.push(chunk);
    });
    const finish = (): void => {
      if (tooLarge) {
        resolve({ resultError: `result too large: more than ${limitBytes} bytes written on fd ${RESULT_FD}` });
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') {
        resolve({});
        return;
      }
      try {
        resolve({ result: JSON.parse(text) as unknown });
      } catch (error) {
        // Where it broke, never what it says: the result may hold secret material.
        resolve({ resultError: `result on fd ${RESULT_FD} (${bytes} bytes) ${describeJsonSyntaxError(error, text)}` });
      }
    };
    // 'close' also covers a stream destroyed after the drain deadline, which never 'end's.
    stream.once('close', finish);
    stream.on('error', () => {
      // A reset socket ends the read like EOF; what arrived before is judged as is.
    });
  });
}
