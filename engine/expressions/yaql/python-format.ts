import { YaqlFault, YaqlLimitFault } from './errors.ts';
import { MAX_STRING_CHARS } from './limits.ts';
import { pyRepr, pyStr } from './python-text.ts';
import { floatRepr } from './convert.ts';
import { isNumber, numberValue, PyFloat, typeName, YaqlDict } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * Python's `str.format()` as yaql's `format()` calls it: `{}`, `{0}`, `{name}`, `{0[1]}`, `!r`/`!s`,
 * and the format spec `[[fill]align][sign][#][0][width][,][.precision][type]` with types
 * `s d n c x X o b e E f F g G %`. Nested replacement fields inside a spec are not supported.
 *
 * @example pyFormat('{0}-{1:03d}', [1, 2], {}) // '1-002'
 */
export function pyFormat(template: string, args: readonly YaqlValue[], kwargs: ReadonlyMap<string, YaqlValue>): string {
  let out = '';
  let auto: boolean | undefined;
  let next = 0;
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if (ch === '}') {
      if (template[i + 1] !== '}') throw new YaqlFault('ValueError', "Single '}' encountered in format string");
      out += '}';
      i += 2;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      i += 1;
      continue;
    }
    if (template[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    if (close < 0) throw new YaqlFault('ValueError', "expected '}' before end of string");
    const field = template.slice(i + 1, close);
    if (field.includes('{')) throw new YaqlFault('ValueError', 'nested replacement fields are not supported');
    const match = /^([^.[!:]*)((?:\.[^.[!:]+|\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
    if (!match) throw new YaqlFault('ValueError', 'invalid replacement field');
    const [, head = '', chain = '', conversion, spec = ''] = match;
    let value: YaqlValue;
    if (head === '' || /^\d+$/.test(head)) {
      const manual = head !== '';
      if (auto === undefined) auto = !manual;
      else if (auto === manual) {
        throw new YaqlFault('ValueError', 'cannot switch between automatic field numbering and manual field specification');
      }
      const index = manual ? Number(head) : next++;
      if (index >= args.length) throw new YaqlFault('IndexError', `Replacement index ${index} out of range for positional args tuple`);
      value = args[index] as YaqlValue;
    } else {
      if (!kwargs.has(head)) throw new YaqlFault('KeyError', head);
      value = kwargs.get(head) as YaqlValue;
    }
    value = followChain(value, chain);
    const converted: YaqlValue = conversion === 'r' || conversion === 'a' ? pyRepr(value, 'yaql') : conversion === 's' ? pyStr(value, 'yaql') : value;
    out += formatValue(converted, spec);
    if (out.length > MAX_STRING_CHARS) throw new YaqlLimitFault(`formatted string is longer than ${MAX_STRING_CHARS} characters`);
    i = close + 1;
  }
  return out;
}

function followChain(value: YaqlValue, chain: string): YaqlValue {
  let current = value;
  for (const part of chain.match(/\.[^.[]+|\[[^\]]*\]/g) ?? []) {
    if (part.startsWith('.')) throw new YaqlFault('AttributeError', `a ${typeName(current)} has no attribute '${part.slice(1)}'`);
    const key = part.slice(1, -1);
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      const item = current[Number(key)];
      if (item === undefined) throw new YaqlFault('IndexError', 'tuple index out of range');
      current = item;
    } else if (current instanceof YaqlDict) {
      const item = current.get(/^\d+$/.test(key) ? Number(key) : key);
      if (item === undefined) throw new YaqlFault('KeyError', key);
      current = item;
    } else {
      throw new YaqlFault('TypeError', `a ${typeName(current)} is not subscriptable`);
    }
  }
  return current;
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

function formatValue(value: YaqlValue, spec: string): string {
  if (spec === '') return pyStr(value, 'yaql');
  const m = SPEC.exec(spec);
  if (!m) throw new YaqlFault('ValueError', 'Invalid format specifier');
  const [, fillChar, alignChar, sign = '-', alt, zero, widthText, grouping, precisionText, type] = m;
  const width = widthText === undefined ? 0 : Number(widthText);
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  const numeric = isNumber(value) || typeof value === 'boolean';
  let body: string;
  let negative = false;
  if (type === undefined && !numeric) {
    const text = pyStr(value, 'yaql');
    body = precision === undefined ? text : text.slice(0, precision);
  } else if (type === 's') {
    if (typeof value !== 'string') throw new YaqlFault('ValueError', `Unknown format code 's' for object of type '${typeName(value)}'`);
    body = precision === undefined ? value : value.slice(0, precision);
  } else {
    if (!numeric) throw new YaqlFault('ValueError', `Unknown format code '${type ?? ''}' for object of type '${typeName(value)}'`);
    const isFloat = value instanceof PyFloat;
    const n = numberValue(value as number | PyFloat | boolean);
    negative = n < 0 || Object.is(n, -0);
    const abs = Math.abs(n);
    body = formatNumber(abs, isFloat, type, precision, alt !== undefined);
    if (grouping !== undefined) body = group(body, grouping);
  }
  const signText = negative ? '-' : numeric && sign === '+' ? '+' : numeric && sign === ' ' ? ' ' : '';
  const fill = fillChar ?? (zero !== undefined && alignChar === undefined ? '0' : ' ');
  const align = alignChar ?? (zero !== undefined ? '=' : numeric ? '>' : '<');
  const padding = Math.max(0, width - signText.length - body.length);
  if (align === '=') return signText + fill.repeat(padding) + body;
  const text = signText + body;
  if (align === '<') return text + fill.repeat(padding);
  if (align === '^') return fill.repeat(Math.floor(padding / 2)) + text + fill.repeat(padding - Math.floor(padding / 2));
  return fill.repeat(padding) + text;
}

function formatNumber(abs: number, isFloat: boolean, type: string | undefined, precision: number | undefined, alt: boolean): string {
  const intOnly = (code: string): void => {
    if (isFloat) throw new YaqlFault('ValueError', `Unknown format code '${code}' for object of type 'float'`);
  };
  switch (type) {
    case undefined:
      return isFloat ? (precision === undefined ? floatRepr(abs) : generalFormat(abs, precision, false)) : String(abs);
    case 'd':
    case 'n':
      intOnly(type);
      return String(abs);
    case 'c':
      intOnly(type);
      return String.fromCodePoint(abs);
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      intOnly(type);
      const radix = type === 'o' ? 8 : type === 'b' ? 2 : 16;
      const digits = abs.toString(radix);
      const prefix = alt ? `0${type}` : '';
      return type === 'X' ? (prefix + digits).toUpperCase() : prefix + digits;
    }
    case 'f':
    case 'F':
      return abs.toFixed(precision ?? 6);
    case '%':
      return `${(abs * 100).toFixed(precision ?? 6)}%`;
    case 'e':
    case 'E': {
      const text = exponent(abs.toExponential(precision ?? 6));
      return type === 'E' ? text.toUpperCase() : text;
    }
    default: {
      const text = generalFormat(abs, precision ?? 6, alt);
      return type === 'G' ? text.toUpperCase() : text;
    }
  }
}

/** Python's `g`: fixed or scientific by exponent, trailing zeros dropped. */
function generalFormat(abs: number, precision: number, alt: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (abs === 0) return alt ? `0.${'0'.repeat(p - 1)}` : '0';
  const power = Math.floor(Math.log10(abs));
  const rounded = Number(abs.toExponential(p - 1).split('e')[1]);
  const exp = Number.isFinite(rounded) ? rounded : power;
  let text = exp < -4 || exp >= p ? exponent(abs.toExponential(p - 1)) : abs.toFixed(Math.max(0, p - 1 - exp));
  if (!alt) text = text.replace(/\.?0+(?=e|$)/, '');
  return text;
}

/** JS `1.5e+3` → Python `1.5e+03`. */
function exponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

function group(digits: string, separator: string): string {
  const [whole = '', fraction] = digits.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
