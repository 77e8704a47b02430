import { YaqlFault } from './errors.ts';
import { numberValue, PyFloat } from './values.ts';
import type { YaqlValue } from './values.ts';

/** Python numbers: `number` is an int, {@link PyFloat} a float; mixing them gives a float. */
export type PyNumber = number | PyFloat;

function both(a: PyNumber, b: PyNumber, ints: (x: number, y: number) => number, floats: (x: number, y: number) => number): PyNumber {
  if (typeof a === 'number' && typeof b === 'number') return ints(a, b) + 0; // + 0 folds -0 into 0
  return new PyFloat(floats(numberValue(a), numberValue(b)));
}

export function add(a: PyNumber, b: PyNumber): PyNumber {
  return both(a, b, (x, y) => x + y, (x, y) => x + y);
}

export function subtract(a: PyNumber, b: PyNumber): PyNumber {
  return both(a, b, (x, y) => x - y, (x, y) => x - y);
}

export function multiply(a: PyNumber, b: PyNumber): PyNumber {
  return both(a, b, (x, y) => x * y, (x, y) => x * y);
}

/** yaql's `/`: floor division for two ints (`-7 / 2` is `-4`), true division otherwise. */
export function divide(a: PyNumber, b: PyNumber): PyNumber {
  if (numberValue(b) === 0) {
    throw new YaqlFault('ZeroDivisionError', typeof a === 'number' && typeof b === 'number' ? 'integer division or modulo by zero' : 'float division by zero');
  }
  return both(a, b, (x, y) => Math.floor(x / y), (x, y) => x / y);
}

/** Python's `%`: the result takes the sign of the divisor (`-7 mod 3` is `2`). */
export function modulo(a: PyNumber, b: PyNumber): PyNumber {
  if (numberValue(b) === 0) {
    throw new YaqlFault('ZeroDivisionError', typeof a === 'number' && typeof b === 'number' ? 'integer division or modulo by zero' : 'float modulo');
  }
  const mod = (x: number, y: number): number => {
    const r = x % y;
    // A zero takes the divisor's sign too (-8.0 mod 0.5 is 0.0, 8.0 mod -0.5 is -0.0).
    if (r === 0) return y < 0 ? -0 : 0;
    return r < 0 !== y < 0 ? r + y : r;
  };
  return both(a, b, mod, mod);
}

export function negate(a: PyNumber): PyNumber {
  return typeof a === 'number' ? 0 - a : new PyFloat(-a.value);
}

/** Python's `int()`: numbers truncate, strings parse in base 10, null is 0 (yaql's choice). */
export function toInt(value: YaqlValue): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number') return value;
  if (value instanceof PyFloat) {
    if (Number.isNaN(value.value)) throw new YaqlFault('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(value.value)) throw new YaqlFault('ValueError', 'cannot convert float infinity to integer');
    return Math.trunc(value.value) + 0;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (!/^[+-]?\d+(_\d+)*$/.test(text)) throw new YaqlFault('ValueError', 'invalid literal for int() with base 10 (the string is not a whole number)');
    return Number(text.replaceAll('_', '')) + 0;
  }
  throw new YaqlFault('TypeError', 'int() argument must be a string or a number');
}

/** Python's `float()`: also `'inf'`, `'nan'`, `'1e5'`; null is 0.0 (yaql's choice). */
export function toFloat(value: YaqlValue): PyFloat {
  if (value === null) return new PyFloat(0);
  if (typeof value === 'boolean' || typeof value === 'number') return new PyFloat(Number(value));
  if (value instanceof PyFloat) return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    const special = /^([+-]?)(inf|infinity|nan)$/.exec(text);
    if (special) return new PyFloat(special[2] === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity);
    if (!/^[+-]?((\d+(_\d+)*)(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)(e[+-]?\d+(_\d+)*)?$/.test(text)) {
      throw new YaqlFault('ValueError', 'could not convert string to float (the string is not a number)');
    }
    return new PyFloat(Number(text.replaceAll('_', '')));
  }
  throw new YaqlFault('TypeError', 'float() argument must be a string or a number');
}

/** Python's `round(x, n)`: half to even, on the exact binary value (`round(2.675, 2)` is `2.67`). */
export function round(value: PyNumber, digits: number): PyNumber {
  if (typeof value === 'number') {
    if (digits >= 0) return value;
    const scale = 10 ** -digits;
    return roundHalfEven(value / scale) * scale + 0;
  }
  const x = value.value;
  if (!Number.isFinite(x)) return value;
  if (digits < 0 || digits > 20) {
    const scale = 10 ** digits;
    return new PyFloat(roundHalfEven(x * scale) / scale);
  }
  const abs = Math.abs(x);
  const exact = abs.toFixed(Math.min(100, digits + 60));
  const tail = exact.slice(exact.indexOf('.') + 1 + digits);
  let rounded = Number(abs.toFixed(digits));
  if (/^50*$/.test(tail)) {
    // An exact tie: toFixed rounded away from zero; Python keeps the even last digit.
    const down = Number(exact.slice(0, exact.indexOf('.') + 1 + digits).replace(/\.$/, ''));
    const lastDigit = Math.round(down * 10 ** digits) % 10;
    rounded = lastDigit % 2 === 0 ? down : rounded;
  }
  return new PyFloat(x < 0 ? -rounded : rounded);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Ordering of numbers or of strings by code point, as Python compares them. */
export function compareValues(a: PyNumber | string, b: PyNumber | string): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = Array.from(a);
    const y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
      const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }
  const d = numberValue(a as PyNumber) - numberValue(b as PyNumber);
  return Number.isNaN(d) ? Number.NaN : d;
}
