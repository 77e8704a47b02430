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

/** Context `workerMax` when unset (and `workers` too): room for a burst without a fleet. */
export const WORKER_MAX_DEFAULT = 4;

/**
 * Context `workerBacklogPerTask` when unset: messages of the execution queue one task is meant to
 * carry, its `ATTUNE_WORKER_CONCURRENCY` (8): a task with a full backlog runs all its slots.
 */
export const WORKER_BACKLOG_PER_TASK_DEFAULT = 8;

/** SQS publishes queue metrics once a minute: the scale-out alarm looks at one such point. */
export const WORKER_SCALE_OUT_PERIOD_MINUTES = 1;

/**
 * Minutes of an empty execution queue (nothing visible, nothing in flight) before the service
 * returns to its minimum: long enough that a burst every few minutes keeps its tasks (and their
 * built environments), short enough that an idle stage stops paying for Fargate within the hour.
 */
export const WORKER_SCALE_IN_IDLE_MINUTES = 10;

/**
 * Seconds a scale-out waits for the previous one to take effect: a Fargate task needs 30-60 s to
 * start and begin receiving, so a second step sooner would count the same backlog twice.
 */
export const WORKER_SCALE_OUT_COOLDOWN_SECONDS = 60;

/** Seconds between two scale-ins: tasks leave one step at a time, never in a flurry. */
export const WORKER_SCALE_IN_COOLDOWN_SECONDS = 300;

/**
 * Bound on a worker's drain (`ATTUNE_DRAIN_SECONDS` in its task), below the stop timeout: past it
 * the process exits with executions still running; their leases lapse and the reaper re-queues
 * them (or ends them `abandoned` when the action is not safe to re-run). The 20 s left are for
 * handing back held messages and flushing logs.
 */
export const WORKER_DRAIN_SECONDS = WORKER_STOP_TIMEOUT_SECONDS - 20;

/** How the worker service scales: tasks from `min` to `max`, `backlogPerTask` messages each. */
export interface WorkerScaling {
  min: number;
  max: number;
  backlogPerTask: number;
}

const count = z.coerce.number().int().min(0).max(WORKERS_MAX);

/**
 * Reads the worker scaling context: `workerMin` (0 allowed: an idle stage runs no task),
 * `workerMax` and `workerBacklogPerTask`. The older `workers` sets both ends when they are unset
 * (a fixed count, no scaling). `read` is `node.tryGetContext`.
 * @throws Error naming the context key and the value received.
 * @example parseWorkerScaling(() => undefined) // { min: 1, max: 4, backlogPerTask: 8 }
 */
export function parseWorkerScaling(read: (key: string) => unknown): WorkerScaling {
  const fixed = read('workers') === undefined ? undefined : parseWorkers(read('workers'));
  const field = (key: string, schema: z.ZodType<number>, fallback: number): number => {
    const value = read(key);
    if (value === undefined) return fallback;
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`invalid CDK context "${key}": received ${JSON.stringify(value)} (${parsed.error.issues.map((i) => i.message).join('; ')})`);
    return parsed.data;
  };
  const min = field('workerMin', count, fixed ?? WORKERS_DEFAULT);
  const max = field('workerMax', count, fixed ?? Math.max(min, WORKER_MAX_DEFAULT));
  const backlogPerTask = field('workerBacklogPerTask', z.coerce.number().int().min(1).max(1000), WORKER_BACKLOG_PER_TASK_DEFAULT);
  if (max < min) throw new Error(`invalid CDK context "workerMax": ${max} is below "workerMin" ${min}`);
  return { min, max, backlogPerTask };
}

/**
 * API Gateway's throttle on the webhook route, all names together, across Lambda instances: the
 * API process's own per-name limit (WEBHOOK_RATE) cannot see other instances.
 */
export const WEBHOOK_ROUTE_RATE = { perSecond: 100, burst: 200 } as const;
