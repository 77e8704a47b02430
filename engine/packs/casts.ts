/**
 * Casting a parameter's value to its declared type, as st2's casts.py does before it validates:
 * `"3"` → 3 for an integer, `"true"` → true for a boolean, JSON (or Python literal) text → the
 * value for an object or array. A value already of another JSON type passes through and the type
 * check that follows names it.
 */
import { NONE_MAGIC_VALUE } from '../templates/index.ts';
import type { ParameterType } from './action-schema.ts';
import { parsePythonLiteral } from './python-literal.ts';

/** Why a value cannot be cast; the caller adds the parameter's name (and hides a secret's value). */
export class CastFailure extends Error {
  override readonly name = 'CastFailure';
}

// Python's int() and float() accept blanks around the digits and `_` between them.
const PY_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const PY_FLOAT = /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?\s*$/;

function toInteger(x: unknown): unknown {
  if (typeof x === 'boolean') return x ? 1 : 0;
  // int(3.7) is 3 in Python: st2 truncates.
  if (typeof x === 'number') return Number.isFinite(x) ? Math.trunc(x) : x;
  if (typeof x !== 'string') return x;
  if (!PY_INT.test(x)) throw new CastFailure('is not an integer');
  return Number(x.trim().replaceAll('_', ''));
}

function toNumber(x: unknown): unknown {
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x !== 'string') return x;
  // float('nan') and float('inf') exist in Python but have no JSON form: refused.
  if (!PY_FLOAT.test(x)) throw new CastFailure('is not a number');
  return Number(x.trim().replaceAll('_', ''));
}

function toBoolean(x: unknown): unknown {
  if (typeof x !== 'string') return x;
  // ast.literal_eval(x.capitalize()): "true" and "TRUE" read True; "1" reads 1 (refused by the type check).
  const word = x.charAt(0).toUpperCase() + x.slice(1).toLowerCase();
  if (word === 'True') return true;
  if (word === 'False') return false;
  if (word === 'None') return null;
  if (/^[+-]?\d+(\.\d*)?$/.test(x)) return Number(x);
  throw new CastFailure('is not a boolean (true or false)');
}

function toStructure(x: unknown): unknown {
  if (typeof x !== 'string') return x;
  try {
    return JSON.parse(x);
  } catch {
    try {
      return parsePythonLiteral(x);
    } catch (error) {
      throw new CastFailure(`is neither JSON nor a Python literal (${(error as Error).message})`);
    }
  }
}

function toText(x: unknown): unknown {
  // st2 renders templates to text, so a `{{ n }}` meant for a string parameter arrives as "3";
  // Attune keeps a whole-expression's type, and turns a scalar back into Python's text of it.
  if (typeof x === 'number') return String(x);
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  return x;
}

const CASTS: Partial<Record<ParameterType, (x: unknown) => unknown>> = {
  integer: toInteger,
  number: toNumber,
  boolean: toBoolean,
  object: toStructure,
  array: toStructure,
  string: toText,
};

/**
 * `value` cast to `type` as st2 casts it; st2's None marker (`NONE_MAGIC_VALUE`) becomes null and
 * null stays null. A type without a cast (`null`, or none declared) leaves the value as it is.
 *
 * @example
 * castValue('3', 'integer') // → 3
 * castValue("{'a': True}", 'object') // → { a: true }
 * @throws CastFailure saying what the value is not.
 */
export function castValue(value: unknown, type: ParameterType | undefined): unknown {
  const x = value === NONE_MAGIC_VALUE ? null : value;
  if (x === null || x === undefined || type === undefined) return x;
  const cast = CASTS[type];
  return cast ? cast(x) : x;
}
