import { createHash } from 'node:crypto';
import { ExecutionExists, type Execution, type ExecutionStatus, type ExecutionStore } from '../executions/index.ts';
import type { Policy } from '../packs/index.ts';
import type { ExecutionQueue } from '../queue/index.ts';

export interface RetryRule {
  retryOn: 'failure' | 'timeout';
  maxRetryCount: number;
  delaySeconds: number;
}

/** The `action.retry` policy among an action's policies, if any. */
export function retryRule(policies: readonly Policy[]): RetryRule | undefined {
  const p = policies.find((x) => x.enabled !== false && x.policy_type === 'action.retry');
  if (!p || p.policy_type !== 'action.retry') return undefined;
  return { retryOn: p.parameters.retry_on, maxRetryCount: p.parameters.max_retry_count, delaySeconds: p.parameters.delay };
}

/**
 * Whether an execution that ended in `status` gets another attempt. `failure` covers `failed`
 * and `abandoned` (a lost worker is a failure of the run, as st2 counts it); `timeout` covers
 * `timeout`. `attempt` is 1 for the first run, so `max_retry_count: 2` allows attempts 2 and 3.
 */
export function shouldRetry(rule: RetryRule | undefined, status: ExecutionStatus, attempt: number): boolean {
  if (!rule || attempt > rule.maxRetryCount) return false;
  return rule.retryOn === 'timeout' ? status === 'timeout' : status === 'failed' || status === 'abandoned';
}

/** Id of attempt n of an execution chain: deterministic, so a retry is created once however often asked. */
function retryId(first: string, attempt: number): string {
  const h = createHash('sha256').update(`${first}\nattempt ${attempt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Creates and enqueues the next attempt of an execution under the same policy key. A delay is
 * kept as `notBefore`: the worker holds it at the head of its group until then (FIFO queues have
 * no per-message delay), so later executions of the key still wait their turn.
 */
export async function enqueueRetry(deps: { store: ExecutionStore; queue: ExecutionQueue }, previous: Execution, delaySeconds: number): Promise<Execution> {
  const now = Date.now();
  const first = previous.retryOf ?? previous.id;
  const next: Execution = {
    id: retryId(first, previous.attempt + 1),
    action: previous.action,
    status: 'requested',
    parameters: previous.parameters,
    policyKey: previous.policyKey,
    limit: previous.limit,
    onLimit: previous.onLimit,
    attempt: previous.attempt + 1,
    retryOf: first,
    createdAt: new Date(now).toISOString(),
    listKey: 'execution',
    ...(delaySeconds > 0 ? { notBefore: new Date(now + delaySeconds * 1000).toISOString() } : {}),
    ...(previous.secretParameters ? { secretParameters: previous.secretParameters } : {}),
    ...(previous.rule ? { rule: previous.rule } : {}),
    ...(previous.triggerInstance ? { triggerInstance: previous.triggerInstance } : {}),
  };
  try {
    await deps.store.create(next);
  } catch (err) {
    if (err instanceof ExecutionExists) return deps.store.get(next.id);
    throw err;
  }
  const sequenceNumber = await deps.queue.enqueue({ executionId: next.id, action: next.action, policyKey: next.policyKey });
  await deps.store.update(next.id, { sequenceNumber, enqueuedAt: new Date().toISOString() });
  return next;
}
