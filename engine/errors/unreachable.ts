/** Socket error codes that mean the far end did not answer at all, as Node and the SDK report them. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
/** Error names the SDK gives a request that timed out or found no service. */
const UNREACHABLE_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ServiceUnavailable', 'ServiceUnavailableException']);

/**
 * Whether an error means a dependency (DynamoDB, SQS, S3, Secrets Manager) could not be reached:
 * a refused or reset connection, a timeout, a name that does not resolve. Looks through `cause`
 * and an AggregateError's `errors`, where the SDK and Node's fetch put the socket error. Such an
 * error is an outage to wait out, not a fault of the request.
 * @example isUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4569'), { code: 'ECONNREFUSED' })) // true
 */
export function isUnreachable(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && UNREACHABLE_NAMES.has(e.name)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isUnreachable(inner, depth + 1))) return true;
  return isUnreachable(e.cause, depth + 1);
}

/** Error names of AWS refusals that say "not now" rather than "never": throttling, conflicts, faults. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TooManyRequestsException',
  'TransactionConflictException', 'InternalServerError', 'InternalFailure', 'InternalError', 'KMSThrottlingException',
]);

/**
 * Whether trying the same call again later may succeed: an unreachable dependency, a throttle, a
 * transaction conflict, or a server-side fault (5xx) of an AWS service. A caller that can come
 * back (a queue redelivery) retries these instead of recording a permanent failure.
 */
export function isTransient(err: unknown): boolean {
  if (isUnreachable(err)) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; $fault?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  return e.$fault === 'server' || (typeof e.$metadata?.httpStatusCode === 'number' && e.$metadata.httpStatusCode >= 500);
}
