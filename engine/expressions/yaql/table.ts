import type { FunctionTable, Overload, ParamSpec, ParamType } from './dispatch.ts';

/** Adds overloads under a name; earlier ones win when several accept the arguments. */
export function define(table: FunctionTable, name: string, ...overloads: Overload[]): void {
  const list = table.get(name) ?? [];
  list.push(...overloads);
  table.set(name, list);
}

/** A parameter spec: `p('count', 'int', { default: 1 })`. */
export function p(name: string, type: ParamType, extra: Omit<ParamSpec, 'name' | 'type'> = {}): ParamSpec {
  return { name, type, ...extra };
}
