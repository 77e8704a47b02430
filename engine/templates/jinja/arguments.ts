/** Binds positional and keyword arguments to a Python-style signature. */
import { typeError } from './jinja-errors.ts';

/** A parameter without a default is required. */
export const REQUIRED: unique symbol = Symbol('required');

/** `[name, default]` pairs, in order; `REQUIRED` marks a parameter without a default. */
export type Signature = readonly (readonly [string, unknown])[];

/**
 * The argument values in signature order.
 * @example bind('truncate', [['length', 255], ['end', '...']], [10], { end: '..' }) // [10, '..']
 */
export function bind(name: string, signature: Signature, args: unknown[], kwargs: Record<string, unknown>): unknown[] {
  if (args.length > signature.length) {
    throw typeError(`${name}() takes at most ${signature.length} argument${signature.length === 1 ? '' : 's'} (${args.length} given)`);
  }
  const values: unknown[] = signature.map(([, fallback], i) => (i < args.length ? args[i] : fallback));
  for (const [key, value] of Object.entries(kwargs)) {
    const index = signature.findIndex(([param]) => param === key);
    if (index < 0) throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
    if (index < args.length) throw typeError(`${name}() got multiple values for argument '${key}'`);
    values[index] = value;
  }
  const missing = signature.filter((_, i) => values[i] === REQUIRED).map(([param]) => `'${param}'`);
  if (missing.length > 0) throw typeError(`${name}() missing ${missing.length} required argument${missing.length === 1 ? '' : 's'}: ${missing.join(' and ')}`);
  return values;
}
