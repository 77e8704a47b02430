import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { SERVICE_ENV, parseSettings, type SettingsEnv } from '../engine/contract/index.ts';
import type { IsolationMode } from './runner/index.ts';

/** Worker settings (docs/settings.md, "Worker host"), with their env var names. */
export const WORKER_ENV = {
  concurrency: 'ATTUNE_WORKER_CONCURRENCY',
  workerId: 'ATTUNE_WORKER_ID',
  cacheDir: SERVICE_ENV.cacheDir,
  logLimitBytes: 'ATTUNE_LOG_LIMIT_BYTES',
  logLimitMaxBytes: 'ATTUNE_LOG_LIMIT_MAX_BYTES',
  leaseTtlSeconds: 'ATTUNE_LEASE_TTL_SECONDS',
  pollWaitSeconds: 'ATTUNE_POLL_WAIT_SECONDS',
  visibilitySeconds: 'ATTUNE_VISIBILITY_SECONDS',
  actionIsolation: 'ATTUNE_ACTION_ISOLATION',
} as const;

/** Executions run at once by one worker process, unless set. */
export const DEFAULT_WORKER_CONCURRENCY = 8;
/** Per stream; past it the worker drains and counts (seed P6). */
export const DEFAULT_LOG_LIMIT_BYTES = 10 * 1024 * 1024;
/** The most an action may raise its own log limit to (`log_limit_bytes`), per stream. */
export const DEFAULT_LOG_LIMIT_MAX_BYTES = 100 * 1024 * 1024;
/** A lease not renewed within this long may be taken over (crash recovery). */
export const DEFAULT_LEASE_TTL_SECONDS = 30;
/** Long-poll wait: SQS's maximum is 20 s; shorter keeps shutdown prompt. */
export const DEFAULT_POLL_WAIT_SECONDS = 5;
/** How often a running execution's record is checked for a cancel request. */
export const CANCEL_CHECK_MS = 1_000;
/** After a failed lease renewal, the next try comes this soon (not a whole third of the TTL later). */
export const HEARTBEAT_RETRY_MS = 500;
/** How often a running execution's logs so far are copied to S3 (live output). */
export const LOG_FLUSH_MS = 2_000;
/** First wait of a head message with no free slot; doubles up to the maximum. */
export const WAIT_BACKOFF_MIN_MS = 100;
/** Bounded back-off: a slot freed on another host is seen within this long. */
export const WAIT_BACKOFF_MAX_MS = 2_000;
/**
 * Visibility of a received message, and of a held message (renewed every third of it), when
 * ATTUNE_VISIBILITY_SECONDS is unset: the lease TTL, capped here. A crashed holder's messages
 * reappear within it, so the executions queued behind a dead worker start elsewhere about when its
 * lapsed lease can be taken over, not a fixed 30 s later. Renewals cost one batched
 * ChangeMessageVisibility per group and third of it, only while a group waits for a slot.
 */
export const DEFAULT_VISIBILITY_SECONDS = 30;
/** A stored error message is cut to this (an item holds 400 KB; the whole text is in the logs). */
export const ERROR_TEXT_LIMIT_BYTES = 8 * 1024;
/** Results larger than this go to S3 (a DynamoDB item holds 400 KB in all). */
export const INLINE_RESULT_LIMIT_BYTES = 256 * 1024;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const WorkerSettingsSchema = z.object({
  [WORKER_ENV.concurrency]: int(1, 256).default(DEFAULT_WORKER_CONCURRENCY),
  [WORKER_ENV.workerId]: z.string().min(1).default(`${hostname()}-${process.pid}`),
  [WORKER_ENV.cacheDir]: z.string().min(1).default(resolve('.attune/cache')),
  [WORKER_ENV.logLimitBytes]: int(1024, 10 * 1024 * 1024 * 1024).default(DEFAULT_LOG_LIMIT_BYTES),
  [WORKER_ENV.logLimitMaxBytes]: int(1024, 10 * 1024 * 1024 * 1024).default(DEFAULT_LOG_LIMIT_MAX_BYTES),
  [WORKER_ENV.leaseTtlSeconds]: int(5, 3600).default(DEFAULT_LEASE_TTL_SECONDS),
  [WORKER_ENV.pollWaitSeconds]: int(0, 20).default(DEFAULT_POLL_WAIT_SECONDS),
  [WORKER_ENV.visibilitySeconds]: int(3, 43_200).optional(),
  [WORKER_ENV.actionIsolation]: z.enum(['auto', 'uid', 'off']).default('auto'),
});

export interface WorkerSettings {
  concurrency: number;
  workerId: string;
  cacheDir: string;
  logLimitBytes: number;
  logLimitMaxBytes: number;
  leaseTtlSeconds: number;
  pollWaitSeconds: number;
  visibilitySeconds: number;
  /** Whether actions run as accounts of their own (see `IsolationMode`); `auto` when absent. */
  actionIsolation?: IsolationMode;
}

/**
 * `ATTUNE_ACTION_ISOLATION` alone, for settings built in code that leave it out.
 * @throws InvalidEnvironment when it is not `auto`, `uid` or `off`.
 */
export function actionIsolationFrom(env: SettingsEnv = process.env): IsolationMode {
  return parseSettings(WorkerSettingsSchema.pick({ [WORKER_ENV.actionIsolation]: true }), env, 'worker settings')[WORKER_ENV.actionIsolation];
}

/**
 * Reads the worker settings from an environment.
 * @throws InvalidEnvironment naming each bad variable and what it expected.
 */
export function loadWorkerSettings(env: SettingsEnv = process.env): WorkerSettings {
  const d = parseSettings(WorkerSettingsSchema, env, 'worker settings');
  return {
    concurrency: d[WORKER_ENV.concurrency],
    workerId: d[WORKER_ENV.workerId],
    cacheDir: d[WORKER_ENV.cacheDir],
    logLimitBytes: d[WORKER_ENV.logLimitBytes],
    logLimitMaxBytes: d[WORKER_ENV.logLimitMaxBytes],
    leaseTtlSeconds: d[WORKER_ENV.leaseTtlSeconds],
    pollWaitSeconds: d[WORKER_ENV.pollWaitSeconds],
    visibilitySeconds: d[WORKER_ENV.visibilitySeconds] ?? Math.min(DEFAULT_VISIBILITY_SECONDS, d[WORKER_ENV.leaseTtlSeconds]),
    actionIsolation: d[WORKER_ENV.actionIsolation],
  };
}
