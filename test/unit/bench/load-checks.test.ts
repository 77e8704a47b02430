import { describe, expect, it } from 'vitest';
import { checkLeaks, checkLimits, checkOrder, checkOutcomes, recoveries, type LoadRecord } from '../../../bench/load-checks.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A succeeded execution of `key`, request `rank`, holding its slot from `from` to `to` ms after T0. */
function ran(id: string, key: string, rank: number, from: number, to: number, extra: Partial<LoadRecord> = {}): LoadRecord {
  return { id, key, status: 'succeeded', requestRank: rank, limit: 1, scheduledAtUs: (T0 + from) * 1000, startedMs: T0 + from, endedMs: T0 + to, worker: 'local-1', attempt: 1, ...extra };
}

describe('checkOrder', () => {
  it('passes when each key starts in request order, whatever the order across keys', () => {
    // Prepare
    const records = [ran('a1', 'a', 0, 10, 20), ran('b1', 'b', 0, 5, 6), ran('a2', 'a', 1, 20, 30), ran('b2', 'b', 1, 7, 8)];
    // Act
    const violations = checkOrder(records);
    // Assess
    expect(violations).toEqual([]);
  });

  it('names the key and both executions when a later request started first', () => {
    // Prepare: a2 was requested after a1 but its claim came 1 µs earlier.
    const records = [ran('a1', 'a', 0, 10, 20), { ...ran('a2', 'a', 1, 10, 20), scheduledAtUs: (T0 + 10) * 1000 - 1 }, ran('a3', 'a', 2, 30, 40)];
    // Act
    const violations = checkOrder(records);
    // Assess
    expect(violations).toEqual(['a: a2 (request 1) started before a1 (request 0)']);
  });

  it('treats two starts at the same microsecond as out of order', () => {
    const violations = checkOrder([ran('a1', 'a', 0, 10, 20), ran('a2', 'a', 1, 10, 20)]);
    expect(violations).toHaveLength(1);
  });

  it('leaves out executions that were never scheduled', () => {
    const violations = checkOrder([ran('a1', 'a', 0, 10, 20), { ...ran('a2', 'a', 1, 0, 0), scheduledAtUs: undefined, status: 'canceled' }, ran('a3', 'a', 2, 30, 40)]);
    expect(violations).toEqual([]);
  });
});

describe('checkLimits', () => {
  it('passes back-to-back runs where one ends in the same ms the next starts', () => {
    // Prepare
    const records = [ran('a1', 'a', 0, 0, 10), ran('a2', 'a', 1, 10, 10), { ...ran('a3', 'a', 2, 10, 12), scheduledAtUs: (T0 + 10) * 1000 + 300 }];
    // Act
    const violations = checkLimits(records, () => 1);
    // Assess
    expect(violations).toEqual([]);
  });

  it('reports the overlap when a limit-2 key ran three at once', () => {
    // Prepare: a3 starts while a1 and a2 both still run.
    const records = [ran('a1', 'a', 0, 0, 10, { limit: 2 }), ran('a2', 'a', 1, 1, 10, { limit: 2 }), ran('a3', 'a', 2, 5, 6, { limit: 2 })];
    // Act
    const violations = checkLimits(records, () => 2);
    // Assess
    expect(violations).toEqual([`a: 3 running at ${new Date(T0 + 5).toISOString()} over its limit of 2 (a1, a2, a3)`]);
  });

  it('does not count a run claimed later in the same ms as running before it', () => {
    // Prepare: a1 and a2 both started in ms 3; a1's claim came first and a2 ended in ms 3 too.
    const records = [ran('a1', 'a', 0, 3, 9), { ...ran('a2', 'a', 1, 3, 3), scheduledAtUs: (T0 + 3) * 1000 + 500 }];
    // Act
    const violations = checkLimits(records, () => 1);
    // Assess: at a2's start a1 still ran.
    expect(violations).toEqual([`a: 2 running at ${new Date(T0 + 3).toISOString()} over its limit of 1 (a1, a2)`]);
  });

  it('counts an execution that never ended as running to the end', () => {
    const violations = checkLimits([{ ...ran('a1', 'a', 0, 0, 0), endedMs: undefined, status: 'running' }, ran('a2', 'a', 1, 50, 60)], () => 1);
    expect(violations).toHaveLength(1);
  });

  it('reports an execution that recorded another limit than its key has', () => {
    const violations = checkLimits([ran('a1', 'a', 0, 0, 1, { limit: 3 })], () => 1);
    expect(violations).toEqual(['a: a1 recorded limit 3, the key\'s is 1']);
  });

  it('ends an abandoned run at the kill of its worker, not at the reaper\'s later mark', () => {
    // Prepare: a1's worker died at 100; the reaper marked it at 400; a2 took the lapsed slot at 300.
    const records = [ran('a1', 'a', 0, 0, 400, { status: 'abandoned' }), ran('a2', 'a', 1, 300, 310, { worker: 'local-2' })];
    // Act
    const withKill = checkLimits(records, () => 1, [{ worker: 'local-1', atMs: T0 + 100 }]);
    const withoutKill = checkLimits(records, () => 1);
    // Assess
    expect(withKill).toEqual([]);
    expect(withoutKill).toHaveLength(1);
  });
});

describe('checkLeaks', () => {
  it('reports each slot that still names a holder and passes released ones', () => {
    // Prepare
    const leases = [
      { policyKey: 'load.l1|key=k1', sk: 'slot#0', leaseUntil: 0 },
      { policyKey: 'load.l2|key=k2', sk: 'slot#1', holder: 'e-9', leaseUntil: T0 },
    ];
    // Act
    const violations = checkLeaks(leases);
    // Assess
    expect(violations).toEqual([`load.l2|key=k2 slot#1: still held by e-9 (lease until ${new Date(T0).toISOString()})`]);
  });
});

describe('checkOutcomes', () => {
  it('passes when every request succeeded, counting an abandoned run and its re-run', () => {
    // Prepare
    const records = [ran('a1', 'a', 0, 0, 1, { status: 'abandoned' }), ran('r2', 'a', 2, 5, 6, { retryOf: 'a1', attempt: 2 }), ran('a2', 'a', 1, 2, 3)];
    // Act
    const outcome = checkOutcomes(['a1', 'a2'], records);
    // Assess
    expect(outcome).toEqual({ violations: [], requested: 2, succeeded: 2, abandoned: 1, reruns: 1 });
  });

  it('reports a request with no record, one not succeeded and an execution nobody requested', () => {
    // Prepare
    const records = [ran('a1', 'a', 0, 0, 1, { status: 'abandoned' }), ran('x9', 'a', 5, 5, 6)];
    // Act
    const outcome = checkOutcomes(['a1', 'a2'], records);
    // Assess
    expect(outcome.violations).toEqual(['a1: attempt 1 ended abandoned, not succeeded', 'a2: requested, but no record', 'x9: an execution nobody requested']);
    expect(outcome.succeeded).toBe(0);
  });

  it('reports a succeeded attempt that was run again, and a gap in the attempts', () => {
    const records = [ran('a1', 'a', 0, 0, 1), ran('r3', 'a', 1, 5, 6, { retryOf: 'a1', attempt: 3 })];
    const outcome = checkOutcomes(['a1'], records);
    expect(outcome.violations).toEqual(['a1: attempt 1 ended succeeded, yet was run again', 'a1: attempts 1, 3 are not one each from 1']);
  });
});

describe('recoveries', () => {
  it('measures from the kill to the next start of each key the killed worker held', () => {
    // Prepare: local-1 runs a1 (a) when killed at 100; its latest start of b was b1; c is local-2's.
    const records = [
      ran('a1', 'a', 0, 50, 400, { status: 'abandoned' }),
      ran('a2', 'a', 1, 700, 710, { worker: 'local-2' }),
      ran('b1', 'b', 0, 20, 30),
      ran('b2', 'b', 1, 350, 360, { worker: 'local-2' }),
      ran('c1', 'c', 0, 60, 70, { worker: 'local-2' }),
      ran('c2', 'c', 1, 120, 130, { worker: 'local-2' }),
    ];
    const kill = { worker: 'local-1', atMs: T0 + 100 };
    // Act
    const [found] = recoveries(records, [kill]);
    // Assess
    expect(found).toEqual({ kill, restartsMs: [600, 250] });
  });
});
