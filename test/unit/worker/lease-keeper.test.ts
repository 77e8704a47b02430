import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Lease } from '../../../engine/slots/index.ts';
import { LeaseKeeper } from '../../../worker-host/lease-keeper.ts';
import { HEARTBEAT_RETRY_MS } from '../../../worker-host/settings.ts';

const TTL_MS = 3_000;
const lease = (): Lease => ({ policyKey: 'p.a', sk: 'slot#0', holder: 'e1', leaseUntil: Date.now() + TTL_MS });

/** A slot store port whose renewals answer as the test says, recording when each began and ended. */
function fakeSlots(answer: (n: number) => Promise<boolean>) {
  const calls: { start: number; end?: number }[] = [];
  return {
    calls,
    heartbeat: async () => {
      const call: { start: number; end?: number } = { start: Date.now() };
      calls.push(call);
      try {
        return await answer(calls.length);
      } finally {
        call.end = Date.now();
      }
    },
  };
}

const logs: string[] = [];
const log = (_level: string, message: string) => void logs.push(message);

beforeEach(() => {
  vi.useFakeTimers();
  logs.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LeaseKeeper', () => {
  it('renews every third of the TTL until stopped', async () => {
    // Prepare
    const slots = fakeSlots(async () => true);
    const keeper = new LeaseKeeper(slots, lease(), TTL_MS, log);
    // Act
    await vi.advanceTimersByTimeAsync(3_500);
    await keeper.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    // Assess
    expect(slots.calls.map((c) => c.start - slots.calls[0]!.start)).toEqual([0, 1_000, 2_000]);
    expect(keeper.lost.aborted).toBe(false);
  });

  it('never starts a renewal while the previous one is still in flight', async () => {
    // Prepare: each renewal takes 2.5 s, longer than the 1 s between renewals.
    const slots = fakeSlots(() => new Promise((r) => setTimeout(() => r(true), 2_500)));
    const keeper = new LeaseKeeper(slots, lease(), TTL_MS, log);
    // Act
    await vi.advanceTimersByTimeAsync(10_000);
    const stopping = keeper.stop();
    await vi.advanceTimersByTimeAsync(2_500);
    await stopping;
    // Assess
    for (let i = 1; i < slots.calls.length; i++) expect(slots.calls[i]!.start).toBeGreaterThanOrEqual(slots.calls[i - 1]!.end!);
    expect(slots.calls.length).toBeGreaterThan(1);
  });

  it('retries a failed renewal soon, not a whole interval later', async () => {
    // Prepare
    const slots = fakeSlots(async (n) => {
      if (n === 1) throw new Error('connection reset');
      return true;
    });
    const keeper = new LeaseKeeper(slots, lease(), TTL_MS, log);
    // Act
    await vi.advanceTimersByTimeAsync(1_000 + HEARTBEAT_RETRY_MS);
    await keeper.stop();
    // Assess
    expect(slots.calls.map((c) => c.start - slots.calls[0]!.start)).toEqual([0, HEARTBEAT_RETRY_MS]);
    expect(logs).toEqual(['lease renewal failed; retrying']);
    expect(keeper.lost.aborted).toBe(false);
  });

  it('reports the lease lost when the store says it is no longer held', async () => {
    const keeper = new LeaseKeeper(fakeSlots(async () => false), lease(), TTL_MS, log);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(keeper.lost.aborted).toBe(true);
    expect((keeper.lost.reason as Error).message).toContain('taken over');
    await keeper.stop();
  });

  it('gives the lease up once renewals have failed until its end, since it may be reaped then', async () => {
    // Prepare
    const slots = fakeSlots(async () => {
      throw new Error('timed out');
    });
    const keeper = new LeaseKeeper(slots, lease(), TTL_MS, log);
    // Act
    await vi.advanceTimersByTimeAsync(TTL_MS - 100);
    const lostBeforeTheEnd = keeper.lost.aborted;
    await vi.advanceTimersByTimeAsync(1_000);
    // Assess
    expect(lostBeforeTheEnd).toBe(false);
    expect(keeper.lost.aborted).toBe(true);
    expect((keeper.lost.reason as Error).message).toContain('could not be renewed before it ran out: timed out');
    await keeper.stop();
  });
});
