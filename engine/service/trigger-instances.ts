import { randomUUID } from 'node:crypto';
import { TIMER_TRIGGERS } from '../timers/index.ts';
import type { Stores } from '../stores/index.ts';
import { TriggerInstanceNotFound, type TriggerInstance } from '../triggers/index.ts';
import type { TriggerInstancePage, TriggerInstanceView } from '../wire/index.ts';
import type { DispatchResult } from './port.ts';

/** A stored trigger instance as the API answers it. */
export function triggerInstanceView(instance: TriggerInstance): TriggerInstanceView {
  return {
    id: instance.id,
    trigger: instance.type,
    payload: instance.payload,
    createdAt: instance.createdAt,
    ...(instance.reEmitOf === undefined ? {} : { reEmitOf: instance.reEmitOf }),
  };
}

/** A page of trigger instances, newest first, optionally of one trigger type. */
export async function listTriggerInstances(stores: Pick<Stores, 'triggerInstances'>, query: { trigger?: string; limit?: number; cursor?: string }): Promise<TriggerInstancePage> {
  const page = await stores.triggerInstances.list({
    ...(query.trigger === undefined ? {} : { type: query.trigger }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  });
  return { items: page.items.map(triggerInstanceView), cursor: page.cursor ?? null };
}

/** One stored trigger instance. @throws TriggerInstanceNotFound (404). */
export async function getTriggerInstance(stores: Pick<Stores, 'triggerInstances'>, id: string): Promise<TriggerInstanceView> {
  const instance = await stores.triggerInstances.get(id);
  if (!instance) throw new TriggerInstanceNotFound(id);
  return triggerInstanceView(instance);
}

/** The rule a timer tick belongs to, read back from its instance id (`timer-<rule>-<tick>`). */
function timerRule(instance: TriggerInstance): string | undefined {
  if (!TIMER_TRIGGERS.includes(instance.type)) return undefined;
  return /^timer-(.+)-\d+$/.exec(instance.id)?.[1];
}

/**
 * st2's re-emit: dispatches a stored instance's payload again as a new instance (`reEmitOf` names
 * the original), so its rules run again under new execution ids. The payload is data, dispatched
 * as it was stored; a timer tick goes to its own rule only, as the tick did.
 */
export async function reEmitTriggerInstance(
  stores: Pick<Stores, 'triggerInstances'>,
  dispatch: (trigger: { type: string; payload: unknown; instanceId: string; rule?: string }) => Promise<DispatchResult>,
  id: string,
): Promise<DispatchResult & { reEmitOf: string }> {
  const original = await stores.triggerInstances.get(id);
  if (!original) throw new TriggerInstanceNotFound(id);
  // Stored first with its provenance; the dispatch then finds it and stores nothing over it.
  const instanceId = await stores.triggerInstances.put(original.type, original.payload, randomUUID(), Date.now(), { reEmitOf: original.id });
  const rule = timerRule(original);
  const result = await dispatch({ type: original.type, payload: original.payload, instanceId, ...(rule ? { rule } : {}) });
  return { ...result, reEmitOf: original.id };
}
