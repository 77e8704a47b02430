import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reapExpiredLeases } from '../../../engine/lifecycle/index.ts';
import { MemoryMetrics, useProcessMetrics, type Metrics } from '../../../engine/metrics/index.ts';
import { BoundedLog } from '../../../worker-host/bounded-log.ts';

let metrics: MemoryMetrics;
let previous: Metrics | undefined;
let dir: string;

beforeEach(async () => {
  metrics = new MemoryMetrics();
  previous = useProcessMetrics(metrics);
  dir = await mkdtemp(join(tmpdir(), 'attune-metrics-'));
});
afterEach(async () => {
  if (previous) useProcessMetrics(previous);
  await rm(dir, { recursive: true, force: true });
});

const total = (name: string) => metrics.snapshot().counters.find((c) => c.name === name)?.value ?? 0;

describe('reporters outside the lifecycle', () => {
  it('counts an output truncation once per stream cut, and none for a stream within its limit', async () => {
    // Prepare
    const cut = new BoundedLog(join(dir, 'cut.log'), 8);
    const within = new BoundedLog(join(dir, 'within.log'), 1024);
    // Act
    await cut.write(Buffer.from('0123456789abcdef'));
    await cut.write(Buffer.from('more'));
    await within.write(Buffer.from('short'));
    await Promise.all([cut.close(), within.close()]);
    // Assess
    expect(total('OutputTruncations')).toBe(1);
  });

  it('counts each execution the reaper abandons', async () => {
    // Prepare: two lapsed leases, one of whose executions already ended.
    const lifecycle = {
      abandon: async (id: string) => ({ abandoned: id === 'e1' }),
      expireInquiry: async () => false,
      enqueueStranded: async () => undefined,
    };
    const ports = {
      slots: {
        expired: async () => [{ policyKey: 'k', sk: 's1', holder: 'e1', leaseUntil: 0 }, { policyKey: 'k', sk: 's2', holder: 'e2', leaseUntil: 0 }],
        release: async () => true,
        holderOf: async () => undefined,
      },
      executions: { keysByStatus: async () => [], strandedBefore: async () => [] },
    } as never;
    // Act
    const result = await reapExpiredLeases(lifecycle, ports);
    // Assess
    expect(result.abandoned).toEqual(['e1']);
    expect(total('ReaperAbandonments')).toBe(1);
  });
});
