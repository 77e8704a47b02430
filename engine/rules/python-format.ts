import { isPlainObject } from './json.ts';

// Python's `%` operator as Jinja templates use it in st2 packs (`{{ '%s-%d' % (name, n) }}`):
// printf-style formatting when the left side is a string, Python's modulo for numbers.

const TUPLE = Symbol('python tuple');

/** A Python tuple: an array the `%` operator spreads over its conversions (a list is one value). */
export function pyTuple(...items: unknown[]): unknown[] {
  return Object.assign(items, { [TUPLE]: true });
}

const isTuple = (value: unknown): value is unknown[] => Array.isArray(value) && (value as { [TUPLE]?: boolean })[TUPLE] === true;

/** Python's repr() of a float or an int as JSON gives it (exponent with at least two digits). */
function numberText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n)) return Math.abs(n) < 1e16 ? n.toFixed(0) : n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  const text = Math.abs(n) < 1e-4 ? n.toExponential() : String(n);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's repr() of a JSON value: `'text'`, `True`, `None`, `[1, 'a']`, `{'k': 1}`. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return reprString(value);
  if (Array.isArray(value)) {
    const items = value.map(pyRepr);
    return isTuple(value) ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
  }
  if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`).join(', ')}}`;
  return pyStr(value);
}

/** Python's str() of a JSON value: text as is, `True`/`False`, `None`, containers as repr(). */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return numberText(value);
  return pyRepr(value);
}

const SPEC = /%(?:\(([^)]*)\))?([#0\- +]*)(\d+)?(?:\.(\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

function integer(value: unknown, type: string): number {
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number' && (Number.isInteger(value) || 'di'.includes(type))) return Math.trunc(value);
  const kind = value === null ? 'NoneType' : Array.isArray(value) ? 'list' : typeof value === 'string' ? 'str' : typeof value === 'number' ? 'float' : 'dict';
  throw new TypeError(`%${type} format: ${'di'.includes(type) ? 'a real number' : 'an integer'} is required, not ${kind}`);
}

function real(value: unknown, type: string): number {
  if (typeof value === 'number' || typeof value === 'boolean') return Number(value);
  throw new TypeError(`must be real number, not ${typeof value === 'string' ? 'str' : value === null ? 'NoneType' : 'list'} (%${type})`);
}

/** Python's %g: the shorter of %e and %f at `precision` significant digits, trailing zeros removed. */
function general(n: number, precision: number, alternate: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const exponent = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(n.toExponential(p - 1)))));
  let text = exponent < -4 || exponent >= p ? n.toExponential(p - 1) : n.toFixed(Math.max(0, p - 1 - exponent));
  if (!alternate) text = text.replace(/\.?0+(?=e|$)/, '');
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

function convert(value: unknown, type: string, flags: string, precision: number | undefined): string {
  const sign = (n: number, text: string) => (n < 0 || Object.is(n, -0) ? text : flags.includes('+') ? `+${text}` : flags.includes(' ') ? ` ${text}` : text);
  switch (type) {
    case 's':
      return precision === undefined ? pyStr(value) : pyStr(value).slice(0, precision);
    case 'r':
    case 'a':
      return precision === undefined ? pyRepr(value) : pyRepr(value).slice(0, precision);
    case 'c':
      if (typeof value === 'string' && [...value].length === 1) return value;
      return String.fromCodePoint(integer(value, type));
    case 'd':
    case 'i':
    case 'u': {
      const n = integer(value, type);
      return sign(n, Math.abs(n).toFixed(0));
    }
    case 'o':
    case 'x':
    case 'X': {
      const n = integer(value, type);
      const digits = Math.abs(n).toString(type === 'o' ? 8 : 16);
      const prefix = flags.includes('#') ? (type === 'o' ? '0o' : `0${type}`) : '';
      return sign(n, prefix + (type === 'X' ? digits.toUpperCase() : digits));
    }
    default: {
      const n = real(value, type);
      const p = precision ?? 6;
      if (!Number.isFinite(n)) return sign(n, Number.isNaN(n) ? 'nan' : 'inf');
      const lower = type.toLowerCase();
      const text = lower === 'f' ? Math.abs(n).toFixed(p) : lower === 'e' ? Math.abs(n).toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2') : general(Math.abs(n), p, flags.includes('#'));
      return sign(n, type === type.toUpperCase() ? text.toUpperCase() : text);
    }
  }
}

/** Python's `format % args` for a str format. @throws TypeError/KeyError with Python's message. */
export function pyPercentFormat(format: string, args: unknown): string {
  const mapping = isPlainObject(args) ? args : undefined;
  const positional = isTuple(args) ? args : [args];
  let next = 0;
  const out = format.replace(SPEC, (_spec, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, type: string) => {
    if (type === '%') return '%';
    let value: unknown;
    if (key !== undefined) {
      if (!mapping) throw new TypeError('format requires a mapping');
      if (!Object.hasOwn(mapping, key)) throw new Error(`KeyError: ${reprString(key)}`);
      value = mapping[key];
    } else {
      if (next >= positional.length || (mapping && !isTuple(args) && next > 0)) throw new TypeError('not enough arguments for format string');
      value = positional[next++];
    }
    const text = convert(value, type, flags, precision === undefined ? undefined : Number(precision));
    const size = Number(width ?? 0);
    if (text.length >= size) return text;
    if (flags.includes('-')) return text.padEnd(size);
    if (flags.includes('0') && !'srac'.includes(type)) {
      const signed = /^[+\- ]/.test(text) ? 1 : 0;
      return text.slice(0, signed) + text.slice(signed).padStart(size - signed, '0');
    }
    return text.padStart(size);
  });
  if (!mapping && next < positional.length) throw new TypeError('not all arguments converted during string formatting');
  return out;
}

/** Python's `left % right`: string formatting for a str on the left, modulo (sign of the divisor) for numbers. */
export function pyModulo(left: unknown, right: unknown): unknown {
  if (typeof left === 'string') return pyPercentFormat(left, right);
  if ((typeof left === 'number' || typeof left === 'boolean') && (typeof right === 'number' || typeof right === 'boolean')) {
    const a = Number(left);
    const b = Number(right);
    if (b === 0) throw new Error('ZeroDivisionError: modulo by zero');
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  }
  throw new TypeError('unsupported operand type(s) for %');
}

/**
 * Python's `json.dumps(value)` with its defaults: `", "` and `": "` separators, non-ASCII escaped
 * as `\uXXXX`. @throws TypeError for undefined (an undefined template variable), as Python does.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === undefined) throw new TypeError('Object of type Undefined is not JSON serializable');
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? numberText(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
  throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
}
