import { EXECUTION_STATUSES, TERMINAL_STATUSES, type ExecutionStatus } from '../executions/index.ts';
import { ACTIVE, QUEUED } from '../lifecycle/index.ts';
import type { MetricsSnapshot } from '../metrics/index.ts';
import type { Stores } from '../stores/index.ts';
import type { StatsView } from '../wire/index.ts';
import { countQueues } from './queues.ts';

/** The window `GET /v1/stats` counts executions over when the caller names none. */
export const STATS_DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The counts behind `GET /v1/stats`. Executions created since `since`, by the status each has now
 * (one COUNT query per status on the status index); the queues as they are (waiting and running per
 * key, the oldest wait); and `process`, the answering process's own metric totals. Everything but
 * `process` comes from the stores, so any API process answers the same.
 */
export async function countStats(stores: Pick<Stores, 'executions' | 'slots'>, options: { since?: string; now: number; process: MetricsSnapshot }): Promise<StatsView> {
  // Stored times are UTC ISO strings compared as text: a bound with another offset is made one too.
  const since = new Date(options.since ?? options.now - STATS_DEFAULT_WINDOW_MS).toISOString();
  const counted = await Promise.all(EXECUTION_STATUSES.map(async (s) => [s, await stores.executions.countByStatus(s, since)] as const));
  const byStatus = Object.fromEntries(counted) as Record<ExecutionStatus, number>;
  const sum = (statuses: readonly ExecutionStatus[]) => statuses.reduce((n, s) => n + byStatus[s], 0);
  const keys = await countQueues(stores);
  const live = keys.filter((k) => k.waiting > 0 || k.running > 0);
  const oldest = live.reduce<string | null>((min, k) => (k.oldestWaitingAt && (min === null || k.oldestWaitingAt < min) ? k.oldestWaitingAt : min), null);
  return {
    at: new Date(options.now).toISOString(),
    since,
    executions: { total: sum(EXECUTION_STATUSES), waiting: sum(QUEUED), active: sum(ACTIVE), ended: sum(TERMINAL_STATUSES), byStatus },
    queues: {
      keys: live.length,
      waiting: live.reduce((n, k) => n + k.waiting, 0),
      running: live.reduce((n, k) => n + k.running, 0),
      oldestWaitingAt: oldest,
      oldestWaitMs: oldest === null ? null : Math.max(0, options.now - Date.parse(oldest)),
    },
    process: options.process,
  };
}
