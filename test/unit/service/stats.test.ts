import { describe, expect, it } from 'vitest';
import { EXECUTION_STATUSES, type Execution, type ExecutionStatus } from '../../../engine/executions/index.ts';
import { MemoryMetrics } from '../../../engine/metrics/index.ts';
import { STATS_DEFAULT_WINDOW_MS, countStats } from '../../../engine/service/stats.ts';

const NOW = Date.parse('2026-01-02T00:00:00.000Z');

/** Stores holding `records`, answering the status index and the slots as the DynamoDB ones do. */
function stores(records: Pick<Execution, 'id' | 'action' | 'policyKey' | 'status' | 'createdAt'>[], runningPerKey: Record<string, number>) {
  const asked: { status: ExecutionStatus; since?: string }[] = [];
  return {
    asked,
    stores: {
      executions: {
        countByStatus: async (status: ExecutionStatus, since?: string) => {
          asked.push({ status, ...(since ? { since } : {}) });
          return records.filter((r) => r.status === status && (since === undefined || r.createdAt >= since)).length;
        },
        keysByStatus: async (status: ExecutionStatus) => records.filter((r) => r.status === status).map((r) => ({ ...r, limit: 1 })),
      },
      slots: { running: async (key: string) => runningPerKey[key] ?? 0 },
    } as never,
  };
}

const at = (msBefore: number) => new Date(NOW - msBefore).toISOString();

describe('countStats', () => {
  it('counts the executions of the window by status, the queues now and the oldest wait', async () => {
    // Prepare
    const { stores: s } = stores(
      [
        { id: '1', action: 'a.x', policyKey: 'a.x', status: 'succeeded', createdAt: at(60_000) },
        { id: '2', action: 'a.x', policyKey: 'a.x', status: 'running', createdAt: at(30_000) },
        { id: '3', action: 'a.x', policyKey: 'a.x', status: 'delayed', createdAt: at(20_000) },
        { id: '4', action: 'b.y', policyKey: 'b.y', status: 'requested', createdAt: at(5_000) },
        { id: 'old', action: 'a.x', policyKey: 'a.x', status: 'failed', createdAt: at(STATS_DEFAULT_WINDOW_MS + 1) },
      ],
      { 'a.x': 1 },
    );
    const metrics = new MemoryMetrics(() => NOW);
    // Act
    const stats = await countStats(s, { now: NOW, process: metrics.snapshot() });
    // Assess
    expect(stats.since).toBe(at(STATS_DEFAULT_WINDOW_MS));
    expect(stats.executions).toMatchObject({ total: 4, waiting: 2, active: 1, ended: 1 });
    expect(stats.executions.byStatus.failed).toBe(0);
    expect(Object.keys(stats.executions.byStatus)).toEqual([...EXECUTION_STATUSES]);
    expect(stats.queues).toEqual({ keys: 2, waiting: 2, running: 1, oldestWaitingAt: at(20_000), oldestWaitMs: 20_000 });
    expect(stats.process.mode).toBe('memory');
  });

  it('turns a bound with another offset into the stored UTC form before comparing', async () => {
    const { stores: s, asked } = stores([], {});
    const stats = await countStats(s, { since: '2026-01-01T02:00:00+02:00', now: NOW, process: new MemoryMetrics().snapshot() });
    expect(stats.since).toBe('2026-01-01T00:00:00.000Z');
    expect(new Set(asked.map((a) => a.since))).toEqual(new Set(['2026-01-01T00:00:00.000Z']));
    expect(stats.queues).toEqual({ keys: 0, waiting: 0, running: 0, oldestWaitingAt: null, oldestWaitMs: null });
  });
});
