import { YaqlFault, YaqlLimitFault } from './errors.ts';
import { MAX_COLLECTION_ITEMS, MAX_DATA_DEPTH } from './limits.ts';

/**
 * Values as the evaluator holds them, mirroring what yaql holds in Python:
 * - `number` is a Python int, {@link PyFloat} a Python float (so `3 / 2` is `1`, `str(1.0)` is `1.0`);
 * - a frozen array is a tuple (what yaql turns input lists into), one tagged by {@link pyList} a
 *   Python list (what `split()` returns: it prints as `[…]` and never equals a tuple);
 * - {@link YaqlDict} is a dict with Python keys (`1`, `1.0` and `true` are the same key);
 * - {@link YaqlIterator} is a lazy result (`select`, `where`): computed here, but typed as yaql's
 *   iterator, which is not a list (`isList` is false, `[0]` does not apply, it is always truthy).
 */
export type YaqlValue =
  | null
  | boolean
  | number
  | string
  | PyFloat
  | readonly YaqlValue[]
  | YaqlDict
  | YaqlIterator
  | YaqlRegex
  | MappingPair
  | ScopeRef;

/** A Python float. Every float is boxed, so an integral one (`2.0`) stays a float. */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** A Python dict (yaql's FrozenDict): insertion-ordered, keyed by Python equality. */
export class YaqlDict {
  private readonly entries = new Map<string, [YaqlValue, YaqlValue]>();
  /** A Python `dict` (from `toDict()`, `ctx()`, `json()`): unhashable, unlike yaql's FrozenDict. */
  readonly mutable: boolean;

  constructor(pairs: Iterable<readonly [YaqlValue, YaqlValue]> = [], mutable = false) {
    this.mutable = mutable;
    for (const [key, value] of pairs) this.set(key, value);
  }

  /** Adds or replaces; a replaced entry keeps its first key and its place, as in Python. */
  set(key: YaqlValue, value: YaqlValue): void {
    const hash = hashKey(key);
    const existing = this.entries.get(hash);
    this.entries.set(hash, [existing ? existing[0] : key, value]);
    if (this.entries.size > MAX_COLLECTION_ITEMS) throw new YaqlLimitFault(`dict has more than ${MAX_COLLECTION_ITEMS} keys`);
  }

  has(key: YaqlValue): boolean {
    return this.entries.has(hashKey(key));
  }

  /** The value, or `undefined` when the key is absent (a null value is `null`). */
  get(key: YaqlValue): YaqlValue | undefined {
    return this.entries.get(hashKey(key))?.[1];
  }

  delete(key: YaqlValue): void {
    this.entries.delete(hashKey(key));
  }

  get size(): number {
    return this.entries.size;
  }

  keys(): YaqlValue[] {
    return [...this.entries.values()].map(([key]) => key);
  }

  values(): YaqlValue[] {
    return [...this.entries.values()].map(([, value]) => value);
  }

  items(): Array<[YaqlValue, YaqlValue]> {
    return [...this.entries.values()].map(([key, value]) => [key, value]);
  }
}

/** A lazy sequence in yaql (a Python iterator or generator), held here as its items. */
export class YaqlIterator {
  readonly items: readonly YaqlValue[];
  /** `orderBy()`'s result: iterable, but neither an iterator nor a list, so `len()` refuses it. */
  readonly ordered: boolean = false;
  constructor(items: readonly YaqlValue[]) {
    if (items.length > MAX_COLLECTION_ITEMS) throw new YaqlLimitFault(`collection has more than ${MAX_COLLECTION_ITEMS} items`);
    this.items = items;
  }
}

/** A compiled pattern from `regex()`. */
export class YaqlRegex {
  readonly source: string;
  readonly regexp: RegExp;
  constructor(source: string, regexp: RegExp) {
    this.source = source;
    this.regexp = regexp;
  }
}

/** `a => b` evaluated, as `dict()` and `set()` receive it. */
export class MappingPair {
  readonly source: YaqlValue;
  readonly destination: YaqlValue;
  constructor(source: YaqlValue, destination: YaqlValue) {
    this.source = source;
    this.destination = destination;
  }
}

/** A context object (`let(a => 1)`, `with(…)`), the left side of `->`. */
export class ScopeRef {
  readonly scope: unknown;
  constructor(scope: unknown) {
    this.scope = scope;
  }
}

const pythonLists = new WeakSet<readonly YaqlValue[]>();
// Arrays already made of evaluator values: fromJs passes them through instead of copying.
const converted = new WeakSet<readonly YaqlValue[]>();

/** Tags an array as a Python list (not a tuple) and freezes it. */
export function pyList(items: YaqlValue[]): readonly YaqlValue[] {
  checkSize(items.length);
  Object.freeze(items);
  pythonLists.add(items);
  converted.add(items);
  return items;
}

/** A tuple: what yaql makes of input lists and list literals. */
export function tuple(items: YaqlValue[]): readonly YaqlValue[] {
  checkSize(items.length);
  Object.freeze(items);
  converted.add(items);
  return items;
}

/** Whether an array is already made of evaluator values (a tuple or list built here). */
export function isConverted(value: readonly unknown[]): boolean {
  return converted.has(value as readonly YaqlValue[]);
}

export function isPyList(value: YaqlValue): boolean {
  return Array.isArray(value) && pythonLists.has(value);
}

function checkSize(length: number): void {
  if (length > MAX_COLLECTION_ITEMS) throw new YaqlLimitFault(`collection has more than ${MAX_COLLECTION_ITEMS} items`);
}

export function isSequence(value: YaqlValue): value is readonly YaqlValue[] {
  return Array.isArray(value);
}

/** Python int (bool excluded). */
export function isInt(value: YaqlValue): value is number {
  return typeof value === 'number';
}

/** Python int or float, bool excluded: yaql's `Number` parameter type. */
export function isNumber(value: YaqlValue): value is number | PyFloat {
  return typeof value === 'number' || value instanceof PyFloat;
}

/** Iterable as yaql means it: lists and iterators, not strings or dicts. */
export function isIterable(value: YaqlValue): value is readonly YaqlValue[] | YaqlIterator {
  return Array.isArray(value) || value instanceof YaqlIterator;
}

export function itemsOf(value: readonly YaqlValue[] | YaqlIterator): readonly YaqlValue[] {
  return value instanceof YaqlIterator ? value.items : value;
}

export function numberValue(value: number | PyFloat | boolean): number {
  return value instanceof PyFloat ? value.value : Number(value);
}

/** Python truthiness; an iterator is always true, as a Python map object is. */
export function truthy(value: YaqlValue): boolean {
  if (value === null || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'number') return value !== 0;
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof YaqlDict) return value.size > 0;
  return true;
}

/** The Python type of a value, for messages (never the value: it may be a secret). */
export function typeName(value: YaqlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'integer';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'list';
  if (value instanceof YaqlDict) return 'dict';
  if (value instanceof YaqlIterator) return 'iterator';
  if (value instanceof YaqlRegex) return 'regex';
  if (value instanceof ScopeRef) return 'context';
  return 'mapping';
}

let identity = 0;
const identities = new WeakMap<object, number>();

/** A string equal for Python-equal keys: `1`, `1.0` and `true` share one. */
export function hashKey(value: YaqlValue, depth = 0): string {
  if (depth > MAX_DATA_DEPTH) throw new YaqlLimitFault(`data nests deeper than ${MAX_DATA_DEPTH} levels`);
  if (value === null) return 'N';
  if (typeof value === 'boolean') return value ? 'n1' : 'n0';
  if (typeof value === 'number') return `n${value}`;
  if (value instanceof PyFloat) return Number.isNaN(value.value) ? `nan${objectId(value)}` : `n${value.value}`;
  if (typeof value === 'string') return `s${value}`;
  if (isPyList(value)) throw new YaqlFault('TypeError', "unhashable type: 'list'");
  if (value instanceof YaqlDict && value.mutable) throw new YaqlFault('TypeError', "unhashable type: 'dict'");
  if (Array.isArray(value)) return `t[${value.map((item) => JSON.stringify(hashKey(item, depth + 1))).join(',')}]`;
  if (value instanceof YaqlDict) {
    const parts = value.items().map(([k, v]) => `${JSON.stringify(hashKey(k, depth + 1))}:${JSON.stringify(hashKey(v, depth + 1))}`);
    return `d{${parts.sort().join(',')}}`;
  }
  return `o${objectId(value as object)}`;
}

function objectId(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    identity += 1;
    id = identity;
    identities.set(value, id);
  }
  return id;
}

/** Python `==`: `1 == 1.0 == true`, a tuple never equals a list, iterators only themselves. */
export function pyEquals(a: YaqlValue, b: YaqlValue, depth = 0): boolean {
  if (depth > MAX_DATA_DEPTH) throw new YaqlLimitFault(`data nests deeper than ${MAX_DATA_DEPTH} levels`);
  if (a === b) return !(a instanceof PyFloat && Number.isNaN(a.value));
  const numeric = (v: YaqlValue): v is number | boolean | PyFloat => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
  if (numeric(a) && numeric(b)) return numberValue(a) === numberValue(b);
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isPyList(a) !== isPyList(b) || a.length !== b.length) return false;
    return a.every((item, i) => pyEquals(item, b[i] as YaqlValue, depth + 1));
  }
  if (a instanceof YaqlDict && b instanceof YaqlDict) {
    if (a.size !== b.size) return false;
    return a.items().every(([key, value]) => {
      const other = b.get(key);
      return other !== undefined && pyEquals(value, other, depth + 1);
    });
  }
  if (a instanceof MappingPair || b instanceof MappingPair) return false;
  return false;
}
