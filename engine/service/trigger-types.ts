import { BUILTIN_TRIGGER_TYPES } from '../triggers/index.ts';
import type { TriggerType } from '../packs/index.ts';
import type { TriggerTypeView } from '../wire/index.ts';

/** A registered trigger type as the API answers it. */
export function triggerTypeView(type: TriggerType): TriggerTypeView {
  return {
    ref: type.ref,
    pack: type.pack,
    name: type.name,
    description: type.description ?? null,
    payloadSchema: type.payload_schema ?? {},
    parametersSchema: type.parameters_schema ?? {},
    builtin: false,
  };
}

/** Every trigger type a rule may name: the built-in ones, then those registered packs define, by ref. */
export function allTriggerTypes(registered: readonly TriggerType[]): TriggerTypeView[] {
  const builtin = BUILTIN_TRIGGER_TYPES.map((ref) => {
    const dot = ref.indexOf('.');
    return { ref, pack: ref.slice(0, dot), name: ref.slice(dot + 1), description: null, payloadSchema: {}, parametersSchema: {}, builtin: true };
  });
  return [...builtin, ...[...registered].sort((a, b) => a.ref.localeCompare(b.ref)).map(triggerTypeView)];
}
