import type { ExecutionKeys } from '../executions/index.ts';
import { ACTIVE, QUEUED } from '../lifecycle/index.ts';
import { RECORD_LEASE } from '../slots/index.ts';
import type { Stores } from '../stores/index.ts';
import type { QueueKeyStats } from './port.ts';

/**
 * Counts the queued and active executions of `keys` per policy key, starting from `seed` (keys to
 * list even when idle). Reads the status index, one query per status; running is what holds a
 * live lease, whatever the status says: a slot item of the key, or a lease in a record (a key
 * without a limit).
 */
export async function countQueues(stores: Pick<Stores, 'executions' | 'slots'>, options: { action?: string; seed?: QueueKeyStats[] } = {}): Promise<QueueKeyStats[]> {
  const keys = new Map<string, QueueKeyStats>((options.seed ?? []).map((s) => [s.key, { ...s }]));
  const entry = (item: ExecutionKeys): QueueKeyStats => {
    const stats = keys.get(item.policyKey) ?? { action: item.action, key: item.policyKey, limit: item.limit ?? null, running: 0, waiting: 0, oldestWaitingAt: null };
    keys.set(item.policyKey, stats);
    return stats;
  };
  const now = Date.now();
  const leasedInRecords = new Map<string, number>();
  for (const status of [...QUEUED, ...ACTIVE]) {
    for (const item of await stores.executions.keysByStatus(status, options.action)) {
      const stats = entry(item);
      if (item.lease === RECORD_LEASE && (item.leaseUntil ?? 0) >= now) leasedInRecords.set(item.policyKey, (leasedInRecords.get(item.policyKey) ?? 0) + 1);
      if (!QUEUED.includes(status)) continue;
      stats.waiting++;
      const at = item.createdAt;
      if (at !== undefined && (stats.oldestWaitingAt === null || stats.oldestWaitingAt === undefined || at < stats.oldestWaitingAt)) stats.oldestWaitingAt = at;
    }
  }
  for (const stats of keys.values()) {
    stats.running = (leasedInRecords.get(stats.key) ?? 0) + (await stores.slots.running(stats.key));
    stats.oldestWaitingAt ??= null;
  }
  return [...keys.values()].sort((a, b) => (a.action ?? '').localeCompare(b.action ?? '') || a.key.localeCompare(b.key));
}
