import { StatsQuery, StatsViewSchema, type StatsView } from '../../../../engine/wire/index.ts';
import { invalid, type ApiOperation } from '../operation.ts';

const BY_STATUS = { requested: 0, delayed: 3, scheduled: 0, running: 1, pending: 0, succeeded: 40, failed: 2, timeout: 0, abandoned: 0, canceling: 0, canceled: 1, pausing: 0, paused: 0, resuming: 0 };

const STATS: StatsView = {
  at: '2026-01-01T12:00:00.000Z',
  since: '2025-12-31T12:00:00.000Z',
  executions: { total: 47, waiting: 3, active: 1, ended: 43, byStatus: BY_STATUS },
  queues: { keys: 2, waiting: 3, running: 1, oldestWaitingAt: '2026-01-01T11:59:58.000Z', oldestWaitMs: 2000 },
  process: {
    mode: 'memory',
    since: '2026-01-01T08:00:00.000Z',
    counters: [
      { name: 'ExecutionsEnded', dimensions: { Status: 'succeeded' }, value: 12 },
      { name: 'ExecutionsRequested', dimensions: {}, value: 14 },
    ],
    timings: [{ name: 'QueueWait', dimensions: {}, count: 13, sumMs: 412.5, minMs: 9.1, maxMs: 120.4 }],
  },
};

/** Counts: executions by status, the queues, and the answering process's metrics. */
export const STATS_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/stats',
    operationId: 'getStats',
    tag: 'executions',
    auth: 'apiKey',
    summary: 'Counts of executions by status, of the queues, and this process’s metrics',
    description:
      '`executions` counts what was created since `since` (default: the last 24 hours) by the status each has now, and `queues` what waits and runs now: both read from the stores, so any API process answers the same. `process` is the answering process’s own metric totals since it started (the same metrics the engine writes as CloudWatch EMF on AWS): under `attune dev` the API process’s only, since each worker keeps its own.',
    query: StatsQuery,
    responses: { 200: { description: 'the counts', schema: StatsViewSchema, example: STATS } },
    errors: [invalid('since', 'query field "since": expected an ISO 8601 time with a zone, e.g. 2026-12-03T01:00:00Z')],
  },
];
