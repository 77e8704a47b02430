/**
 * How Python's values live in JavaScript while a template renders.
 *
 * JSON values map to themselves: null is None, a string is str, an array is list, a plain object is
 * dict (insertion-ordered, as Python's). A number is an int when it is integral, a float otherwise;
 * a float that happens to be integral (`4 / 2`, `3 | float`) is a {@link PyFloat}, so it still
 * prints as `2.0`. Tuples are arrays registered in a WeakSet. Everything else a template can touch
 * is one of the classes below: nothing reaches a JavaScript prototype.
 */
import { JinjaRuntimeError } from './jinja-errors.ts';
import type { SourcePosition } from './jinja-errors.ts';

/** A Python float whose value is integral (2.0). Non-integral floats are plain numbers. */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** How an undefined value behaves: st2's StrictUndefined, jinja2's Undefined, ChainableUndefined. */
export type UndefinedMode = 'strict' | 'lenient' | 'chainable';

/** jinja2's Undefined: a missing variable, attribute or item. `hint` is jinja2's message. */
export class Undefined {
  readonly hint: string;
  readonly mode: UndefinedMode;
  /** Where the missing name or attribute was read, so the error points there, not at its use. */
  pos: SourcePosition | undefined;
  constructor(hint: string, mode: UndefinedMode) {
    this.hint = hint;
    this.mode = mode;
  }

  fail(): JinjaRuntimeError {
    const error = new JinjaRuntimeError(this.hint, 'UndefinedError');
    error.position = this.pos;
    return error;
  }
}

/** A callable: a method bound to its value, a global such as `range`, a macro, a caller's function. */
export class PyCallable {
  readonly name: string;
  readonly call: (args: unknown[], kwargs: Record<string, unknown>) => unknown;
  readonly description: string;
  constructor(name: string, call: (args: unknown[], kwargs: Record<string, unknown>) => unknown, description = `<built-in function ${name}>`) {
    this.name = name;
    this.call = call;
    this.description = description;
  }
}

/** An object with attributes only (`namespace()`, `loop`, `cycler()`, a groupby group). */
export abstract class PyObject {
  abstract readonly typeName: string;
  /** The attribute, or NOT_FOUND. */
  abstract getAttr(name: string): unknown;
  abstract describe(): string;
}

/** Marks a missing attribute without using undefined, which JSON values never hold. */
export const NOT_FOUND: unique symbol = Symbol('not found');

/** jinja2's `namespace()`: the one object `{% set ns.attr = v %}` may write to. */
export class Namespace extends PyObject {
  readonly typeName = 'Namespace';
  readonly attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  getAttr(name: string): unknown {
    return Object.hasOwn(this.attrs, name) ? this.attrs[name] : NOT_FOUND;
  }
  describe(): string {
    return `<Namespace ${Object.keys(this.attrs).length} attributes>`;
  }
}

const TUPLES = new WeakSet<object>();
const OWNED = new WeakSet<object>();

/** A tuple: an array registered as immutable. */
export function tuple(items: unknown[]): unknown[] {
  TUPLES.add(items);
  return items;
}

/** True for a tuple (an array made by {@link tuple}). */
export function isTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && TUPLES.has(value);
}

/** Marks a list or dict the template built itself: only those may be changed by `append` & co. */
export function owned<T extends object>(value: T): T {
  OWNED.add(value);
  return value;
}

/** True for a list or dict the template built (see {@link owned}). */
export function isOwned(value: object): boolean {
  return OWNED.has(value);
}

const VIEWS = new WeakMap<object, string>();
const FIELDS = new WeakMap<object, Record<string, number>>();

/** A named tuple (groupby's `(grouper, list)`): a tuple whose items are also attributes. */
export function namedTuple(names: string[], items: unknown[]): unknown[] {
  FIELDS.set(items, Object.fromEntries(names.map((name, i) => [name, i])));
  return tuple(items);
}

/** The item of a named tuple's field, or NOT_FOUND. */
export function namedField(value: unknown[], name: string): unknown {
  const index = FIELDS.get(value)?.[name];
  return index === undefined ? NOT_FOUND : value[index];
}

/** dict.keys() / values() / items(): a list that prints as `dict_keys([...])`. */
export function dictView(kind: 'dict_keys' | 'dict_values' | 'dict_items', items: unknown[]): unknown[] {
  VIEWS.set(items, kind);
  return items;
}

/** `dict_keys`, `dict_values` or `dict_items` for a dict view, else undefined. */
export function viewKind(value: unknown[]): string | undefined {
  return VIEWS.get(value);
}

/** A new, template-owned dict. Null prototype: no key resolves through Object.prototype. */
export function newDict(entries: Iterable<[string, unknown]> = []): Record<string, unknown> {
  const dict = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of entries) dict[key] = value;
  return owned(dict);
}

/** A float, represented as {@link PyFloat} when integral. */
export function makeFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** A Python float: a {@link PyFloat} or a non-integral number. */
export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** An int (booleans excluded, as jinja2's `integer` test does). */
export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** int, float or bool: Python's numbers.Number. */
export function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat;
}

/** The JavaScript number of an int, float or bool. */
export function toNumber(value: unknown): number {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as number;
}

/** A dict: a plain object (from JSON or the template). */
export function isDict(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype;
}

/** Python's type name, as error messages and `'x object' has no attribute` hints say it. */
export function typeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (value === undefined) return 'Undefined';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (value instanceof PyFloat) return 'float';
  if (Array.isArray(value)) return isTuple(value) ? 'tuple' : 'list';
  if (value instanceof Undefined) return value.mode === 'strict' ? 'StrictUndefined' : 'Undefined';
  if (value instanceof PyCallable) return 'builtin_function_or_method';
  if (value instanceof PyObject) return value.typeName;
  if (isDict(value)) return 'dict';
  return 'object';
}

/** Python truthiness; a StrictUndefined refuses to be tested. */
export function truthy(value: unknown): boolean {
  if (value instanceof Undefined) {
    if (value.mode === 'strict') throw value.fail();
    return false;
  }
  if (value === null || value === false || value === '' || value === 0) return false;
  if (value instanceof PyFloat) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python's len() of a str: code points, not UTF-16 units. */
export function strLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The code points of a string, for indexing and slicing as Python does. */
export function codePoints(text: string): string[] {
  return /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : text.split('');
}
