import { isPlainObject } from './json.ts';

// st2's operators are Python expressions over the JSON payload (`value == pattern`,
// `pattern in value`, `value < pattern`). These functions give those expressions' answers for
// JSON values; `undefined` stands for the TypeError Python raises, which st2 counts as no match.
// A missing key is Python's None, i.e. null here.

const isNumeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';
const toNumber = (v: number | boolean): number => (typeof v === 'boolean' ? Number(v) : v);

/**
 * Python's `a == b` for JSON values: `True == 1` and `1 == 1.0` (bool is an int), strings only
 * equal strings, lists element-wise, dicts key-wise whatever the key order.
 */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

/**
 * Python's `item in container`: a substring of a string, an element (by `==`) of a list, a key of
 * a dict. Undefined where Python raises: a non-string in a string, an unhashable list or dict as
 * a dict key, anything in a number, a bool or None.
 */
export function pyContains(container: unknown, item: unknown): boolean | undefined {
  if (typeof container === 'string') return typeof item === 'string' ? container.includes(item) : undefined;
  if (Array.isArray(container)) return container.some((element) => pyEquals(element, item));
  if (isPlainObject(container)) {
    if (typeof item === 'string') return Object.hasOwn(container, item);
    // JSON keys are strings: a hashable non-string is never one; a list or dict is unhashable.
    return Array.isArray(item) || isPlainObject(item) ? undefined : false;
  }
  return undefined;
}

// UTF-16 code units sort surrogates (astral code points) below U+E000..U+FFFF; Python compares
// code points. Shifting the two ranges restores code point order (the ICU fix-up).
const codePointRank = (unit: number): number => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);

/** Python's string ordering: by code point. */
function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/**
 * The sign of Python's ordering of `a` against `b`: numbers (and bools) by value, strings by code
 * point, lists lexicographically (the first pair that is not `==` decides). Undefined where
 * Python raises TypeError: None, dicts, or values of different kinds.
 */
export function pyCompare(a: unknown, b: unknown): number | undefined {
  if (isNumeric(a) && isNumeric(b)) return Math.sign(toNumber(a) - toNumber(b));
  if (typeof a === 'string' && typeof b === 'string') return Math.sign(compareStrings(a, b));
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i]);
    }
    return Math.sign(a.length - b.length);
  }
  return undefined;
}

// Python's float(): optional sign, digits with single underscores between them, a fraction, an
// exponent, or inf/infinity/nan in any case; surrounding whitespace is ignored.
const DIGITS = '\\d(?:_?\\d)*';
const FLOAT_TEXT = new RegExp(`^[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)$`, 'i');

/** Python's `float(value)` for JSON values; undefined where Python raises (None, lists, dicts, bad text). */
export function pyFloat(value: unknown): number | undefined {
  if (isNumeric(value)) return toNumber(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!FLOAT_TEXT.test(text)) return undefined;
  const lowered = text.toLowerCase().replace(/_/g, '');
  if (lowered.endsWith('nan')) return Number.NaN;
  if (lowered.endsWith('inf') || lowered.endsWith('infinity')) return lowered.startsWith('-') ? -Infinity : Infinity;
  return Number(lowered);
}

/** Python's truth value of a JSON value: None, False, 0, "", [] and {} are false. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}
