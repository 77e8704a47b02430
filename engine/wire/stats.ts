import { z } from 'zod';
import { EXECUTION_STATUSES } from '../executions/model.ts';

/** `GET /v1/stats` query. */
export const StatsQuery = z.strictObject({
  /** Count executions created at or after this time (ISO 8601 with a zone); default the last 24 hours. */
  since: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time with a zone, e.g. 2026-12-03T01:00:00Z' }).optional(),
});

/** What a client asks `GET /v1/stats` for. */
export type StatsRequest = z.output<typeof StatsQuery>;

const count = z.number().int().nonnegative();
const dimensions = z.object({ Status: z.string().optional(), Kind: z.string().optional() });

/** The executions of the window, by the status each has now (the status index, whichever process answers). */
export const ExecutionCountsSchema = z.object({
  total: count.describe('executions created since `since`'),
  waiting: count.describe('of those, requested or delayed'),
  active: count.describe('of those, scheduled, running or canceling'),
  ended: count.describe('of those, succeeded, failed, timeout, abandoned or canceled'),
  byStatus: z.object(Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, count])) as Record<(typeof EXECUTION_STATUSES)[number], typeof count>),
});

/** The queues as they are now, across every policy key. */
export const QueueTotalsSchema = z.object({
  keys: count.describe('policy keys with work waiting or running'),
  waiting: count.describe('executions waiting for a slot'),
  running: count.describe('slots held'),
  oldestWaitingAt: z.string().nullable().describe('when the oldest waiting execution was requested; null when none waits'),
  oldestWaitMs: z.number().nonnegative().nullable().describe('how long it has waited'),
});

/** The answering process's own totals since it started (`ATTUNE_METRICS`; empty when `off`). */
export const ProcessMetricsSchema = z.object({
  mode: z.enum(['emf', 'memory', 'off']),
  since: z.string(),
  counters: z.array(z.object({ name: z.string(), dimensions, value: z.number() })),
  timings: z.array(z.object({ name: z.string(), dimensions, count, sumMs: z.number(), minMs: z.number(), maxMs: z.number() })),
});

/** `GET /v1/stats`: counts from the stores (right whichever process answers) and this process's metrics. */
export const StatsViewSchema = z.object({
  at: z.string().describe('when the counts were taken'),
  since: z.string().describe('executions counted were created at or after this time'),
  executions: ExecutionCountsSchema,
  queues: QueueTotalsSchema,
  process: ProcessMetricsSchema,
});

export type StatsView = z.output<typeof StatsViewSchema>;
