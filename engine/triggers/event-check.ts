import type { TriggerType } from '../packs/index.ts';
import { isBuiltinTriggerType } from './builtin.ts';
import { PayloadInvalid, UnknownTriggerType } from './errors.ts';
import { checkPayload } from './payload-check.ts';

/** Where registered trigger types are read from (the registry). */
export interface TriggerTypeSource {
  getTriggerType(ref: string): Promise<TriggerType | undefined>;
}

/**
 * Checks an event before anything is stored: its trigger type is built in or registered, and its
 * payload fits the registered type's `payload_schema` (st2's `validate_trigger_payload`, on by
 * default there). Built-in types carry no schema here: their payloads are what Attune builds.
 *
 * @throws UnknownTriggerType (400, field `trigger`) or PayloadInvalid (400, field `payload.<path>`).
 */
export async function checkTriggerEvent(types: TriggerTypeSource, type: string, payload: unknown): Promise<TriggerType | undefined> {
  if (isBuiltinTriggerType(type)) return undefined;
  const registered = await types.getTriggerType(type);
  if (!registered) throw new UnknownTriggerType(type);
  const issues = checkPayload(registered.payload_schema, payload);
  if (issues.length > 0) throw new PayloadInvalid(type, issues);
  return registered;
}
