import type { ExecutionStatus } from '../executions/index.ts';
import type { Policy } from '../packs/index.ts';

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
