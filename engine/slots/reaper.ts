import type { ExecutionQueue } from '../queue/index.ts';
import { TransitionRefused, type ExecutionStatus, type ExecutionStore } from '../executions/index.ts';
import { enqueueRetry, retryRule, shouldRetry } from '../policies/index.ts';
import type { Registry } from '../registry/index.ts';
import type { SlotStore } from './slot-store.ts';

export interface ReapResult {
  abandoned: string[];
  retried: string[];
  released: number;
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

export async function reapExpiredLeases(
  deps: RepairDeps,
  now = Date.now(),
): Promise<ReapResult> {
  const result: ReapResult = { abandoned: [], retried: [], released: 0 };
  for (const lease of await deps.slots.expired(now)) {
    const { abandoned, retry } = await abandonExecution(deps, lease.holder, now);
    if (abandoned) result.abandoned.push(lease.holder);
    if (retry) result.retried.push(retry);
    if (await deps.slots.release(lease, now)) result.released++;
  }
  return result;
}
