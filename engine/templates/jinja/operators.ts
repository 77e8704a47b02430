/** Python's operators over template values: arithmetic, comparison, equality, membership. */
import type { BinaryOp, CompareOp } from './ast.ts';
import { JinjaLimitError, JinjaRuntimeError, typeError } from './jinja-errors.ts';
import { percentFormat } from './format.ts';
import { pyStr } from './python-str.ts';
import { PyFloat, Undefined, codePoints, isDict, isFloat, isNumeric, isTuple, makeFloat, owned, toNumber, tuple, typeName } from './values.ts';

/** Longest string or list an operator may build (`'x' * n`, `list * n`). */
export const MAX_BUILT_LENGTH = 1_000_000;

const SYMBOL: Record<CompareOp, string> = { eq: '==', ne: '!=', lt: '<', lteq: '<=', gt: '>', gteq: '>=', in: 'in', notin: 'not in' };

function failUndefined(...values: unknown[]): void {
  for (const value of values) if (value instanceof Undefined) throw value.fail();
}

function unsupported(op: string, a: unknown, b: unknown): JinjaRuntimeError {
  return typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function zeroDivision(message: string): JinjaRuntimeError {
  return new JinjaRuntimeError(message, 'ZeroDivisionError');
}

/** A number result: a float when either side was a float, an int otherwise. */
function numberResult(n: number, asFloat: boolean): number | PyFloat {
  return asFloat ? makeFloat(n) : n;
}

function repeat<T>(times: unknown, build: (n: number) => T, length: number): T {
  const n = Math.max(0, toNumber(times));
  if (n * length > MAX_BUILT_LENGTH) throw new JinjaLimitError(`the result would be longer than ${MAX_BUILT_LENGTH}`);
  return build(n);
}

/** `a op b` for + - * / // % **. */
export function binary(op: BinaryOp, a: unknown, b: unknown): unknown {
  failUndefined(a, b);
  if (op === '%' && typeof a === 'string') return percentFormat(a, b);
  if (isNumeric(a) && isNumeric(b)) return arithmetic(op, toNumber(a), toNumber(b), isFloat(a) || isFloat(b));
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
      const joined = [...a, ...b];
      return isTuple(a) ? tuple(joined) : owned(joined);
    }
    if (typeof a === 'string') throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
    if (Array.isArray(a)) throw typeError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
  }
  if (op === '*') {
    const [seq, times] = typeof b === 'number' || typeof b === 'boolean' ? [a, b] : [b, a];
    if (Number.isInteger(toNumber(times)) && !(times instanceof PyFloat)) {
      if (typeof seq === 'string') return repeat(times, (n) => seq.repeat(n), seq.length);
      if (Array.isArray(seq)) {
        const out = repeat(times, (n) => Array.from({ length: n }, () => seq).flat(), seq.length);
        return isTuple(seq) ? tuple(out) : owned(out);
      }
    }
  }
  throw unsupported(op === '**' ? '** or pow()' : op, a, b);
}

function arithmetic(op: BinaryOp, x: number, y: number, floats: boolean): unknown {
  switch (op) {
    case '+':
      return numberResult(x + y, floats);
    case '-':
      return numberResult(x - y, floats);
    case '*':
      return numberResult(x * y, floats);
    case '/':
      if (y === 0) throw zeroDivision(floats ? 'float division by zero' : 'division by zero');
      return makeFloat(x / y);
    case '//':
      if (y === 0) throw zeroDivision(floats ? 'float floor division by zero' : 'integer division or modulo by zero');
      return numberResult(Math.floor(x / y), floats);
    case '%': {
      if (y === 0) throw zeroDivision(floats ? 'float modulo' : 'integer division or modulo by zero');
      let r = x % y;
      if (r !== 0 && y < 0 !== r < 0) r += y;
      return numberResult(r, floats);
    }
    case '**':
      if (x === 0 && y < 0) throw zeroDivision('0.0 cannot be raised to a negative power');
      return numberResult(x ** y, floats || y < 0);
  }
}

/** Unary minus and plus. */
export function unary(op: 'neg' | 'pos', value: unknown): unknown {
  failUndefined(value);
  if (!isNumeric(value)) throw typeError(`bad operand type for unary ${op === 'neg' ? '-' : '+'}: '${typeName(value)}'`);
  const n = toNumber(value);
  return numberResult(op === 'neg' ? -n : n, isFloat(value));
}

/** Python ==: numbers by value (1 == 1.0 == True), lists and tuples never equal each other. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined || b instanceof Undefined) {
    for (const v of [a, b]) if (v instanceof Undefined && v.mode === 'strict') throw v.fail();
    return a instanceof Undefined && b instanceof Undefined;
  }
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return isTuple(a) === isTuple(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b;
}

/** Python's ordering: numbers, strings, and lists/tuples element by element; else TypeError. */
export function pyCompare(a: unknown, b: unknown, symbol = '<'): number {
  failUndefined(a, b);
  if (isNumeric(a) && isNumeric(b)) return Math.sign(toNumber(a) - toNumber(b));
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], symbol);
    }
    return Math.sign(a.length - b.length);
  }
  throw typeError(`'${symbol}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) {
    if (container.mode === 'strict') throw container.fail();
    return false;
  }
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((entry) => pyEquals(entry, item));
  if (isDict(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}

/** One comparison of a chain (`a < b < c` is `a < b and b < c`). */
export function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case 'eq':
      return pyEquals(a, b);
    case 'ne':
      return !pyEquals(a, b);
    case 'in':
      return contains(b, a);
    case 'notin':
      return !contains(b, a);
    default: {
      const order = pyCompare(a, b, SYMBOL[op]);
      return op === 'lt' ? order < 0 : op === 'lteq' ? order <= 0 : op === 'gt' ? order > 0 : order >= 0;
    }
  }
}

/** `a ~ b ~ c`: the str() of each joined. */
export function concat(values: unknown[]): string {
  failUndefinedStrict(values);
  return values.map(pyStr).join('');
}

function failUndefinedStrict(values: unknown[]): void {
  for (const value of values) if (value instanceof Undefined && value.mode === 'strict') throw value.fail();
}

/** Python's slice of a str, list or tuple: `value[start:stop:step]`. */
export function slice(value: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const seq = typeof value === 'string' ? codePoints(value) : value;
  if (!Array.isArray(seq)) throw typeError(`'${typeName(value)}' object is not subscriptable`);
  const n = seq.length;
  const by = step === null || step === undefined ? 1 : toNumber(step);
  if (by === 0) throw new JinjaRuntimeError('slice step cannot be zero', 'ValueError');
  const clamp = (v: unknown, fallback: number, low: number, high: number): number => {
    if (v === null || v === undefined) return fallback;
    let i = toNumber(v);
    if (i < 0) i += n;
    return Math.min(Math.max(i, low), high);
  };
  const from = by > 0 ? clamp(start, 0, 0, n) : clamp(start, n - 1, -1, n - 1);
  const to = by > 0 ? clamp(stop, n, 0, n) : clamp(stop, -1, -1, n - 1);
  const out: unknown[] = [];
  for (let i = from; by > 0 ? i < to : i > to; i += by) out.push(seq[i]);
  if (typeof value === 'string') return out.join('');
  return isTuple(value) ? tuple(out) : owned(out);
}
