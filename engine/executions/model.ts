import { z } from 'zod';

/** StackStorm's execution statuses. */
export const EXECUTION_STATUSES = [
  'requested',
  'delayed',
  'scheduled',
  'running',
  /** An inquiry (`core.ask`) waiting for its response. */
  'pending',
  'succeeded',
  'failed',
  'timeout',
  'abandoned',
  'canceling',
  'canceled',
  /** A workflow asked to pause: no new task starts; it is `paused` once its active tasks ended. */
  'pausing',
  'paused',
  /** A paused workflow asked to go on: `running` once its conductor took the resume. */
  'resuming',
] as const;

export const ExecutionStatusSchema = z.enum(EXECUTION_STATUSES);
export type ExecutionStatus = z.infer<typeof ExecutionStatusSchema>;

/** Statuses an execution never leaves. */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'];

/**
 * Statuses in which an execution holds its lease (a slot, or `leaseUntil` in its own record) and
 * must renew it: the reaper abandons one of these whose lease lapsed.
 */
export const LEASED_STATUSES: readonly ExecutionStatus[] = ['scheduled', 'running', 'canceling', 'pausing'];

/** Which status may follow which: the state machine every store update is conditioned on. */
export const TRANSITIONS: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  // `failed` from a queued status: its message was dead-lettered, so it can never be claimed.
  requested: ['delayed', 'scheduled', 'pending', 'canceled', 'failed'],
  delayed: ['scheduled', 'canceled', 'failed'],
  scheduled: ['running', 'canceling', 'canceled', 'abandoned', 'failed'],
  running: ['succeeded', 'failed', 'timeout', 'canceling', 'abandoned', 'pausing'],
  canceling: ['canceled', 'succeeded', 'failed', 'timeout', 'abandoned'],
  pending: ['succeeded', 'timeout', 'canceled'],
  pausing: ['paused', 'resuming', 'canceling', 'succeeded', 'failed'],
  paused: ['resuming', 'canceling'],
  resuming: ['running', 'canceling', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
  timeout: [],
  abandoned: [],
  canceled: [],
};

/** The statuses from which `to` may be reached. */
export function sourcesOf(to: ExecutionStatus): ExecutionStatus[] {
  return EXECUTION_STATUSES.filter((from) => TRANSITIONS[from].includes(to));
}

export const LogStreamInfoSchema = z.object({ bytes: z.number().int().nonnegative(), truncated: z.boolean(), droppedBytes: z.number().int().nonnegative().default(0) });
export type LogStreamInfo = z.infer<typeof LogStreamInfoSchema>;

/** An execution as stored. `listKey` is constant so one index lists all executions by time. */
export const ExecutionSchema = z.object({
  id: z.string(),
  action: z.string(),
  status: ExecutionStatusSchema,
  parameters: z.record(z.string(), z.unknown()),
  policyKey: z.string(),
  createdAt: z.string(),
  listKey: z.literal('execution').default('execution'),
  enqueuedAt: z.string().optional(),
  sequenceNumber: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  result: z.unknown().optional(),
  error: z.string().optional(),
  exitCode: z.number().int().optional(),
  rule: z.string().optional(),
  triggerInstance: z.string().optional(),
  rerunOf: z.string().optional(),
  /** A workflow re-run from these tasks of the failed workflow `rerunOf` (what succeeded is kept). */
  rerunTasks: z.array(z.string()).optional(),
  /** A workflow's task execution: the workflow execution that started it. */
  parent: z.string().optional(),
  /** A workflow's task execution: which task (and route, and item of a with-items task) it runs. */
  task: z.object({ id: z.string(), route: z.number().int().nonnegative(), item: z.number().int().nonnegative().nullable() }).optional(),
  /** Set on a workflow execution: the runner whose conductor drives it. */
  workflowRunner: z.enum(['orquesta', 'action-chain']).optional(),
  /** Set when its action has `notify`: its end is announced for the notifytriggers, whatever watches the actiontrigger. */
  notifies: z.literal(true).optional(),
  /** Set on an inquiry (an action of the `inquirer` runner): when it times out unanswered (null: never). */
  inquiry: z.object({ expiresAt: z.string().nullable() }).optional(),
  /** Concurrency limit of the policy key when it was requested (null: unlimited). */
  limit: z.number().int().positive().nullable().default(null),
  /** What happens over the limit: wait for a slot (`delayed`), or cancel. */
  onLimit: z.enum(['delay', 'cancel']).default('delay'),
  /** 1 for the first run; retries of a failed execution count up. */
  attempt: z.number().int().positive().default(1),
  retryOf: z.string().optional(),
  /** A retry with a delay does not start before this time (ISO). */
  notBefore: z.string().optional(),
  /** When the claim scheduled it: epoch microseconds, the order in which a key's executions start. */
  scheduledAtUs: z.number().int().optional(),
  /**
   * Name (under the secret prefix) of the secret holding the values of this execution's secret
   * parameters, for executions sealed before envelopes; the record itself only ever holds the mask.
   */
  secretParameters: z.string().optional(),
  /**
   * The values of this execution's secret parameters, sealed (engine/secrets envelope: AES-256-GCM
   * under a data key sealed by the stage's key). Replaces `secretParameters` for new executions.
   */
  sealedParameters: z.string().optional(),
  /**
   * When DynamoDB's TTL deletes the record (epoch seconds): set by the write that ends it, the
   * end plus ATTUNE_EXECUTION_RETENTION_DAYS; absent while it lives, or when retention is 0.
   */
  expiresAt: z.number().int().optional(),
  /**
   * Where its lease is held while scheduled or running: a slot item's sort key in the leases table
   * (a limited key), or `record` (RECORD_LEASE): in this record, until `leaseUntil`.
   */
  lease: z.string().optional(),
  /** With `lease: record`: when the lease lapses unless renewed (epoch milliseconds). */
  leaseUntil: z.number().optional(),
  worker: z.string().optional(),
  log: z.object({ stdout: LogStreamInfoSchema, stderr: LogStreamInfoSchema }).optional(),
});
export type Execution = z.infer<typeof ExecutionSchema>;
