import { randomUUID } from 'node:crypto';
import { SECRET_MASK } from '../packs/parameters.ts';
import type { TriggerEventSink } from '../triggers/index.ts';
import type { KeyScope } from './scope.ts';

/** st2's datastore triggers, by operation. */
export const KV_TRIGGERS = {
  create: 'core.st2.key_value_pair.create',
  update: 'core.st2.key_value_pair.update',
  value_change: 'core.st2.key_value_pair.value_change',
  delete: 'core.st2.key_value_pair.delete',
} as const;

/** A key as the datastore triggers show it. A secret's value is never in it. */
export interface KvTriggerKey {
  name: string;
  scope: KeyScope;
  user?: string;
  /** The plain value; undefined for a secret key. */
  value?: string;
  secret: boolean;
  expireTimestamp?: string;
}

/**
 * A key as st2's KeyValuePairAPI serializes it into a trigger payload: `scope` in st2's full form
 * (`st2kv.system`), `encrypted` for a secret key. st2 sends a secret's ciphertext; Attune has no
 * ciphertext to send and never puts the value in a payload, so a secret's `value` is the mask.
 */
export function kvTriggerObject(key: KvTriggerKey): Record<string, unknown> {
  return {
    name: key.name,
    value: key.secret ? SECRET_MASK : (key.value ?? ''),
    secret: key.secret,
    encrypted: key.secret,
    scope: `st2kv.${key.scope}`,
    ...(key.user === undefined ? {} : { user: key.user }),
    ...(key.expireTimestamp === undefined ? {} : { expire_timestamp: key.expireTimestamp }),
  };
}

/**
 * The triggers one datastore write fires, as st2's KeyValuePair persistence fires them: `create`
 * for a new key, `update` for an existing one, plus `value_change` (old and new object) when the
 * value differs. st2 compares stored values, and a secret's ciphertext differs at every write, so
 * setting a secret key over an existing one always fires `value_change`; so does it here.
 */
export function kvWriteTriggers(previous: KvTriggerKey | undefined, next: KvTriggerKey): { type: string; payload: Record<string, unknown> }[] {
  if (previous === undefined) return [{ type: KV_TRIGGERS.create, payload: { object: kvTriggerObject(next) } }];
  const out: { type: string; payload: Record<string, unknown> }[] = [{ type: KV_TRIGGERS.update, payload: { object: kvTriggerObject(next) } }];
  const changed = previous.secret || next.secret || previous.value !== next.value;
  if (changed) out.push({ type: KV_TRIGGERS.value_change, payload: { old_object: kvTriggerObject(previous), new_object: kvTriggerObject(next) } });
  return out;
}

/** Sends the triggers of one write or delete, each with an instance id fixed before sending (SQS may deliver twice). */
export async function sendKvTriggers(sink: Pick<TriggerEventSink, 'sendTrigger'>, triggers: readonly { type: string; payload: Record<string, unknown> }[]): Promise<void> {
  for (const trigger of triggers) await sink.sendTrigger({ ...trigger, instanceId: `kv-${randomUUID()}` });
}
