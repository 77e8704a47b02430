/**
 * Engine-wide defaults. Units are in the names; each carries the reason for its value.
 */

/** Stage used when none is configured: a developer's own machine. */
export const DEFAULT_STAGE = 'dev';

/** Region the local stack answers for; any region works locally, one keeps ARNs predictable. */
export const LOCAL_REGION = 'us-east-1';

/** Account id LocalStack and moto report, so ARNs built locally match the emulators'. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * How long an AWS request's socket may stay silent before the client drops it (and the SDK
 * retries). Without it, a connection that died half-open (a NAT forgetting it, a server gone)
 * holds its request for ever: a worker whose claim or start hangs keeps renewing the lease of an
 * execution that never runs. Above the longest silence a healthy request has, a 20 s SQS long poll.
 * A connection is not timed: a request waiting for one of the client's sockets would count the
 * wait, and a SYN never answered fails on its own (the kernel gives up after about two minutes).
 */
export const AWS_SOCKET_TIMEOUT_MS = 45_000;

/**
 * Receives before a message moves to the DLQ. A waiting head message is held in flight (its
 * visibility extended), not received again, so receives only pile up when workers crash.
 */
export const QUEUE_MAX_RECEIVE_COUNT = 10;

/** Visibility on receive: long enough for one claim round-trip; holders extend it while waiting. */
export const QUEUE_VISIBILITY_TIMEOUT_SECONDS = 60;

/** DLQ retention: the SQS maximum, so an operator has two weeks to look at poison messages. */
export const DLQ_RETENTION_DAYS = 14;

/** Stored action logs expire after this many days unless the deploy sets `logRetentionDays`. */
export const LOG_RETENTION_DAYS = 30;

/**
 * An ended execution (its record, sealed parameters included, and its workflow run) is kept this
 * long before DynamoDB's TTL deletes it, unless `ATTUNE_EXECUTION_RETENTION_DAYS` (a deploy's
 * `executionRetentionDays`) says otherwise: st2's purge windows are counted in days, 90 covers a
 * quarter's audits.
 */
export const EXECUTION_RETENTION_DAYS = 90;

/** The variable that sets it. */
export const EXECUTION_RETENTION_ENV = 'ATTUNE_EXECUTION_RETENTION_DAYS';

/** Trigger instances are kept this long (DynamoDB TTL) for audit and re-runs. */
export const TRIGGER_INSTANCE_RETENTION_DAYS = 30;
