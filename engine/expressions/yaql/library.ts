import type { FunctionTable } from './dispatch.ts';
import { registerCollections } from './functions-collections.ts';
import { registerMath } from './functions-math.ts';
import { registerOperators } from './functions-operators.ts';
import { registerQueries } from './functions-queries.ts';
import { registerRegex } from './functions-regex.ts';
import { registerStrings } from './functions-strings.ts';

function build(): { standard: FunctionTable; fallback: FunctionTable } {
  const standard: FunctionTable = new Map();
  const fallback: FunctionTable = new Map();
  registerOperators(standard, fallback);
  registerMath(standard);
  registerStrings(standard);
  registerCollections(standard);
  registerQueries(standard);
  registerRegex(standard);
  return { standard, fallback };
}

const tables = build();

/** yaql's standard library, searched after the caller's functions. */
export const STANDARD_FUNCTIONS: FunctionTable = tables.standard;

/** Searched last: `x.name` on a value that has no key `name` (yaql's `#property#` fallback). */
export const FALLBACK_FUNCTIONS: FunctionTable = tables.fallback;

/** Names of the standard functions a workflow may call, sorted (operators excluded). */
export function standardFunctionNames(): string[] {
  return [...STANDARD_FUNCTIONS.keys()].filter((name) => !name.startsWith('#') && !name.startsWith('*')).sort();
}
