import { createHash } from 'node:crypto';
import type { Execution } from '../executions/index.ts';
import { SECRET_MASK, maskSecrets, secretParameterNames, type Action, type Policy } from '../packs/index.ts';

/** What a caller of ExecutionLifecycle.request already read, so it is not read again. */
export interface RequestOptions {
  /** The action's enabled policies, read with the action (Registry.getActionWithPolicies). */
  policies?: Policy[];
}

/** Parameters split for storage: the record keeps masks, `secret` the values to seal. */
export interface Sealing {
  parameters: Record<string, unknown>;
  secret?: Record<string, unknown>;
}

/**
 * Splits the values of secret parameters off the record: they are sealed into the record's own
 * envelope (opened by the worker at run time), the record's parameters keep the mask.
 */
export function sealParameters(action: Pick<Action, 'parameters'>, parameters: Record<string, unknown>): Sealing {
  const names = secretParameterNames(action).filter((n) => parameters[n] !== undefined && parameters[n] !== SECRET_MASK);
  if (names.length === 0) return { parameters };
  return { parameters: maskSecrets(action, parameters), secret: Object.fromEntries(names.map((n) => [n, parameters[n]])) };
}

/** Id of attempt n of an execution chain: deterministic, so a retry is created once however often asked. */
export function retryId(first: string, attempt: number): string {
  const h = createHash('sha256').update(`${first}\nattempt ${attempt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The record of the next attempt of an execution, under the same policy key. A delay is kept as
 * `notBefore`: the worker holds it at the head of its group until then (FIFO queues have no
 * per-message delay), so later executions of the key still wait their turn.
 */
export function nextAttempt(previous: Execution, delaySeconds: number, now: number): Execution {
  const first = previous.retryOf ?? previous.id;
  return {
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
    // The previous attempt's envelope, which opens only for it: the lifecycle seals it again for this id.
    ...(previous.sealedParameters ? { sealedParameters: previous.sealedParameters } : {}),
    ...(previous.rule ? { rule: previous.rule } : {}),
    ...(previous.workflowRunner ? { workflowRunner: previous.workflowRunner } : {}),
    ...(previous.notifies ? { notifies: true as const } : {}),
    ...(previous.triggerInstance ? { triggerInstance: previous.triggerInstance } : {}),
  };
}
