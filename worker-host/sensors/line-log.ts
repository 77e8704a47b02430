import type { Log } from '../../engine/logging/index.ts';
import type { StreamMasker } from '../../engine/secrets/index.ts';
import { LOG_LINE_LIMIT_BYTES } from './defaults.ts';

/**
 * Turns a sensor's output stream into log lines of the host: masked (secrets the sensor holds
 * never reach the log), split at newlines, each cut to LOG_LINE_LIMIT_BYTES so a sensor that
 * writes without newlines cannot grow the host's memory.
 */
export function lineLogger(log: Log, masker: StreamMasker, fields: Record<string, unknown>): { write: (chunk: Buffer) => void; end: () => void } {
  let pending = Buffer.alloc(0);
  let dropped = 0;
  const emit = (line: Buffer): void => {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text === '' && dropped === 0) return;
    log('info', dropped > 0 ? `${text}… (${dropped} more bytes)` : text, fields);
    dropped = 0;
  };
  const take = (bytes: Buffer): void => {
    let rest = bytes;
    for (let nl = rest.indexOf(10); nl !== -1; nl = rest.indexOf(10)) {
      emit(Buffer.concat([pending, rest.subarray(0, nl)]));
      pending = Buffer.alloc(0);
      rest = rest.subarray(nl + 1);
    }
    const room = LOG_LINE_LIMIT_BYTES - pending.length;
    if (rest.length > room) {
      dropped += rest.length - Math.max(room, 0);
      rest = rest.subarray(0, Math.max(room, 0));
    }
    pending = Buffer.concat([pending, rest]);
  };
  return {
    write: (chunk) => take(masker.push(chunk)),
    end: () => {
      take(masker.end());
      if (pending.length > 0 || dropped > 0) emit(pending);
      pending = Buffer.alloc(0);
    },
  };
}
