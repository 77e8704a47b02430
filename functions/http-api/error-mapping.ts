import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AttuneError, isUnreachable } from '../../engine/errors/index.ts';
import type { ErrorBody } from '../../engine/wire/index.ts';

/** A status and error body to answer with. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: ErrorBody;
  /** Seconds after which a retry may succeed (the `Retry-After` header), for a passing outage. */
  retryAfterSeconds?: number;
}

/** The generic answer to anything unexpected: internals (stack, AWS messages) never leave the process. */
export const INTERNAL_ERROR: ErrorAnswer = { status: 500, body: { code: 'internal', message: 'internal error; see the API logs' } };

/** How long a client is asked to wait before retrying while a dependency is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The answer while a dependency (DynamoDB, SQS, ...) cannot be reached: retry, nothing is wrong with the request. */
export const UNAVAILABLE: ErrorAnswer = {
  status: 503,
  body: { code: 'unavailable', message: 'the engine cannot reach its storage or queues right now; retry shortly' },
  retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
};

const CODE_BY_STATUS: Partial<Record<number, string>> = { 400: 'invalid_request', 401: 'unauthorized', 404: 'not_found', 413: 'payload_too_large' };

/**
 * Translates an error into the answer the contract promises, or INTERNAL_ERROR for anything not
 * known. Every error Attune raises on purpose is an AttuneError carrying its stable `code` and
 * HTTP `status`: the edge reads those, never class names. Client errors (4xx) pass their public
 * message on (written for users: it names the action, execution, field or file, never a server
 * path); a dependency that cannot be reached answers 503 with a retry hint; other faults (5xx)
 * answer the generic internal error and are logged by the caller.
 * @example toErrorAnswer(new ExecutionNotFound('e1')) // {status: 404, body: {code: 'not_found', …}}
 */
export function toErrorAnswer(err: unknown): { answer: ErrorAnswer; expected: boolean } {
  // Before AttuneError: a store may wrap the socket error in one of its own faults.
  if (isUnreachable(err)) return { answer: UNAVAILABLE, expected: false };
  if (err instanceof AttuneError) {
    if (err.status < 400 || err.status >= 500) return { answer: INTERNAL_ERROR, expected: false };
    const body: ErrorBody = { code: err.code, message: err.publicMessage };
    if (err.field !== undefined) body.field = err.field;
    const issues = err.details?.issues;
    if (Array.isArray(issues)) body.issues = issues;
    return { answer: { status: err.status as ContentfulStatusCode, body }, expected: true };
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return { answer: { status, body: { code: CODE_BY_STATUS[status] ?? 'http_error', message: err.message || `HTTP ${status}` } }, expected: status < 500 };
  }
  return { answer: INTERNAL_ERROR, expected: false };
}
