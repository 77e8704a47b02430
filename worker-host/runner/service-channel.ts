import type { Duplex } from 'node:stream';
import { AttuneError } from '../../engine/errors/index.ts';
import { SERVICE_REQUEST_LIMIT_BYTES, SERVICE_RESPONSE_LIMIT_BYTES } from './defaults.ts';

/** The fd of the service channel in an action process that has one (stdio index 4). */
export const SERVICE_FD = 4;

/** Env var naming the service fd; a wrapper without it (a run by hand) has no service channel. */
export const SERVICE_FD_ENV = 'ATTUNE_SERVICE_FD';

/** One request from the action: `{id, op, ...arguments}`, as parsed; the handler checks the rest. */
export interface ServiceRequest {
  id: unknown;
  op: unknown;
  [argument: string]: unknown;
}

/**
 * Answers one request with its value, or throws: an {@link AttuneError} is answered with its
 * `code` and message (which never hold a value), anything else as an internal error.
 */
export type ServiceHandler = (request: ServiceRequest) => Promise<unknown>;

/** What the channel writes back, one JSON line per request, in request order. */
export type ServiceAnswer = { id: unknown; ok: true; value: unknown } | { id: unknown; ok: false; error: { type: string; message: string } };

/** Limits of one channel; the defaults fit the datastore's values. */
export interface ServiceChannelOptions {
  requestLimitBytes?: number;
  responseLimitBytes?: number;
  /** Called with every failure that is not the action's fault (the answer says only "internal"). */
  onInternalError?: (error: unknown, request: ServiceRequest) => void;
}

/**
 * Serves JSON-lines requests from an action on `stream` (the worker's end of a socket pair), one
 * at a time and in order: the wrapper waits for each answer, so at most one request is in flight
 * and memory stays bounded. A line over the request limit is drained and answered with an error,
 * a line that is not a JSON object is answered with an error naming its position, and a handler
 * failure is answered too: nothing an action writes here can crash the worker. Answers never
 * quote the request (it may hold a secret value). Resolves when the action closes its end.
 * @example
 * serveServiceChannel(child.stdio[4] as Duplex, (req) => datastore.handle(req));
 */
export function serveServiceChannel(stream: Duplex, handler: ServiceHandler, options: ServiceChannelOptions = {}): Promise<void> {
  const requestLimit = options.requestLimitBytes ?? SERVICE_REQUEST_LIMIT_BYTES;
  const responseLimit = options.responseLimitBytes ?? SERVICE_RESPONSE_LIMIT_BYTES;
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let oversized = false;
  let chain: Promise<void> = Promise.resolve();

  const answer = (reply: ServiceAnswer): void => {
    let line = JSON.stringify(reply);
    if (Buffer.byteLength(line, 'utf8') > responseLimit) {
      line = JSON.stringify(failure(reply.id, 'ResponseTooLarge', `the answer is larger than ${responseLimit} bytes; ask for less (a prefix, a limit)`));
    }
    if (!stream.destroyed && stream.writable) stream.write(`${line}\n`);
  };

  const handleLine = async (line: Buffer): Promise<void> => {
    const text = line.toString('utf8').trim();
    if (text === '') return;
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch (error) {
      const at = /position (\d+)/.exec((error as Error).message)?.[1];
      answer(failure(null, 'InvalidRequest', `the request (${line.length} bytes) is not valid JSON${at === undefined ? '' : ` at position ${at}`}`));
      return;
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      answer(failure(null, 'InvalidRequest', 'the request is JSON but not an object'));
      return;
    }
    const req = request as ServiceRequest;
    try {
      answer({ id: req.id ?? null, ok: true, value: (await handler(req)) ?? null });
    } catch (error) {
      if (error instanceof AttuneError) {
        answer(failure(req.id ?? null, error.name, error.message));
      } else {
        options.onInternalError?.(error, req);
        answer(failure(req.id ?? null, 'InternalError', 'the worker could not serve this request; see the worker log'));
      }
    }
  };

  stream.on('data', (chunk: Buffer) => {
    let rest = chunk;
    for (let nl = rest.indexOf(10); nl !== -1; nl = rest.indexOf(10)) {
      const head = rest.subarray(0, nl);
      rest = rest.subarray(nl + 1);
      if (oversized) {
        answerLater(failure(null, 'RequestTooLarge', `a request is larger than ${requestLimit} bytes`));
      } else if (bufferedBytes + head.length > requestLimit) {
        answerLater(failure(null, 'RequestTooLarge', `a request is larger than ${requestLimit} bytes`));
      } else {
        const line = Buffer.concat([...buffered, head]);
        chain = chain.then(() => handleLine(line));
      }
      buffered = [];
      bufferedBytes = 0;
      oversized = false;
    }
    if (rest.length === 0 || oversized) return;
    if (bufferedBytes + rest.length > requestLimit) {
      // Drop what came so far and what follows up to the next newline: memory stays bounded.
      oversized = true;
      buffered = [];
      bufferedBytes = 0;
      return;
    }
    buffered.push(Buffer.from(rest));
    bufferedBytes += rest.length;
  });

  function answerLater(reply: ServiceAnswer): void {
    chain = chain.then(() => answer(reply));
  }

  return new Promise((resolve) => {
    stream.on('error', () => {
      // A reset socket (the action died) ends the channel like EOF.
    });
    stream.once('close', () => {
      void chain.then(() => resolve());
    });
  });
}

function failure(id: unknown, type: string, message: string): ServiceAnswer {
  return { id, ok: false, error: { type, message } };
}
