import { z } from 'zod';

/**
 * Compute stack defaults. Units are in the names; each carries the reason for its value.
 */

/** Worker tasks when context `workers` is unset: one task is enough for a dev stage. */
export const WORKERS_DEFAULT = 1;

/** Upper bound on context `workers`: a typo must not start a fleet. Raise it deliberately. */
export const WORKERS_MAX = 50;

/** One vCPU per worker task: actions are mostly I/O bound; scale out with `workers`. */
export const WORKER_CPU_UNITS = 1024;

/** 2 GiB per task: room for `ATTUNE_WORKER_CONCURRENCY` (8) small Python/Node processes. */
export const WORKER_MEMORY_MIB = 2048;

/** Fargate ephemeral storage for the environment cache: venvs and node_modules are large. */
export const WORKER_EPHEMERAL_STORAGE_GIB = 50;

/** Where pack environments are materialized inside the worker container (the ephemeral volume). */
export const WORKER_ENV_CACHE_DIR = '/var/cache/attune';

/**
 * Time between SIGTERM and SIGKILL on a worker (Fargate's maximum): draining finishes running
 * executions or hands them back, it never drops them.
 */
export const WORKER_STOP_TIMEOUT_SECONDS = 120;

/** Messages per event-intake invocation: SQS's maximum for a standard queue without a window. */
export const INTAKE_BATCH_SIZE = 10;

/** The reaper runs this often: an expired lease is noticed within a lease TTL plus one tick. */
export const REAPER_RATE_MINUTES = 1;

/** Context `workers`: how many worker tasks the service keeps running (0 stops them all). */
export const WorkersSchema = z.coerce.number().int().min(0).max(WORKERS_MAX).default(WORKERS_DEFAULT);

/**
 * Validates the `workers` context value (`cdk deploy -c workers=3`).
 * @throws Error naming the context key and what was received.
 * @example parseWorkers(undefined) === 1; parseWorkers('3') === 3
 */
export function parseWorkers(value: unknown): number {
  const parsed = WorkersSchema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => i.message).join('; ');
    throw new Error(`invalid CDK context "workers": expected an integer 0-${WORKERS_MAX}, received ${JSON.stringify(value)} (${detail})`);
  }
  return parsed.data;
}

/**
 * API Gateway's throttle on the webhook route, all names together, across Lambda instances: the
 * API process's own per-name limit (WEBHOOK_RATE) cannot see other instances.
 */
export const WEBHOOK_ROUTE_RATE = { perSecond: 100, burst: 200 } as const;
