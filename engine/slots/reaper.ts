import type { ExecutionQueue } from '../queue/index.ts';
import { TransitionRefused, type ExecutionStatus, type ExecutionStore } from '../executions/index.ts';
import { enqueueRetry, retryRule, shouldRetry } from '../policies/index.ts';
import type { Registry } from '../registry/index.ts';
import type { SlotStore } from './slot-store.ts';

export interface ReapResult {
  abandoned: string[];
  retried: string[];
  released: number;
  /** Items the pass could not repair, with why; the next pass tries them again. */
  failed: string[];
}

const LIVE: readonly ExecutionStatus[] = ['scheduled', 'running', 'canceling'];

/**
 * Repairs after lost workers: every lease that lapsed marks its execution `abandoned` (or
 * re-queues it under an `action.retry` policy) and frees the slot, so the next execution of the
 * key can start. Safe to run concurrently and repeatedly: each step is conditional.
 */
export interface RepairDeps {
  slots: SlotStore;
  store: ExecutionStore;
  queue: ExecutionQueue;
  registry: Registry;
}

/**
 * Marks a live execution whose worker is gone `abandoned` and, under an `action.retry` policy,
 * enqueues its next attempt. Returns the retry's id when one was made; a no-op when the execution
 * already ended.
 */
export async function abandonExecution(deps: RepairDeps, id: string, now = Date.now()): Promise<{ abandoned: boolean; retry?: string }> {
  try {
    const abandoned = await deps.store.transition(
      id,
      'abandoned',
      { endedAt: new Date(now).toISOString(), error: 'abandoned: the worker stopped renewing its lease (it crashed or lost its connection)' },
      LIVE,
    );
    const rule = retryRule(await deps.registry.policiesFor(abandoned.action));
    if (!shouldRetry(rule, 'abandoned', abandoned.attempt)) return { abandoned: true };
    return { abandoned: true, retry: (await enqueueRetry(deps, abandoned, rule?.delaySeconds ?? 0)).id };
  } catch (err) {
    if (err instanceof TransitionRefused) return { abandoned: false };
    throw err;
  }
}

/**
 * One reaper pass. First every lapsed lease: its execution ends `abandoned` (or is retried) and
 * the slot is freed. Then every live execution whose lease item no longer names it (its worker
 * died between taking over a slot and abandoning the previous holder, or failed to store the end
 * of a run after releasing): it is abandoned too, so nothing stays `running` forever. A failure on
 * one item is counted and the pass goes on; the next pass tries again.
 */
export async function reapExpiredLeases(deps: RepairDeps, now = Date.now()): Promise<ReapResult> {
  const result: ReapResult = { abandoned: [], retried: [], released: 0, failed: [] };
  const abandon = async (id: string) => {
    const { abandoned, retry } = await abandonExecution(deps, id, now);
    if (abandoned) result.abandoned.push(id);
    if (retry) result.retried.push(retry);
  };
  for (const lease of await deps.slots.expired(now)) {
    try {
      await abandon(lease.holder);
      if (await deps.slots.release(lease, now)) result.released++;
    } catch (err) {
      result.failed.push(`${lease.holder}: ${(err as Error).message}`);
    }
  }
  for (const status of LIVE) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.list({ status, limit: 100, ...(cursor ? { cursor } : {}) });
      for (const e of page.items) {
        if (!e.lease) continue;
        try {
          if ((await deps.slots.holderOf({ policyKey: e.policyKey, sk: e.lease })) !== e.id) await abandon(e.id);
        } catch (err) {
          result.failed.push(`${e.id}: ${(err as Error).message}`);
        }
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return result;
}
