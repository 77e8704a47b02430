/** Python's str, dict and list methods that templates call (`x.upper()`, `d.items()`, `l.append(1)`). */
import { REQUIRED, bind } from './arguments.ts';
import type { Signature } from './arguments.ts';
import { strFormat } from './format.ts';
import { JinjaRuntimeError, typeError, valueError } from './jinja-errors.ts';
import { pyEquals } from './operators.ts';
import { PyCallable, Undefined, codePoints, dictView, isDict, isOwned, isTuple, owned, strLength, toNumber, tuple, typeName } from './values.ts';

type Method<T> = (self: T, a: unknown[]) => unknown;
interface Table<T> {
  [name: string]: [Signature, Method<T>];
}

// str.split() also splits on the information separators U+001C..U+001F, which are control characters.
// eslint-disable-next-line no-control-regex
const WS = /^[\s\u001c-\u001f\u0085]$/;

function stripChars(text: string, chars: unknown, side: 'both' | 'left' | 'right'): string {
  if (chars === null || chars === undefined) {
    const re = side === 'left' ? /^\s+/ : side === 'right' ? /\s+$/ : /^\s+|\s+$/g;
    return text.replace(re, '');
  }
  const set = new Set(codePoints(String(chars)));
  const cps = codePoints(text);
  let start = 0;
  let end = cps.length;
  if (side !== 'right') while (start < end && set.has(cps[start] as string)) start += 1;
  if (side !== 'left') while (end > start && set.has(cps[end - 1] as string)) end -= 1;
  return cps.slice(start, end).join('');
}

function splitWhitespace(text: string, limit: number, fromRight: boolean): string[] {
  const cps = codePoints(fromRight ? [...text].reverse().join('') : text);
  const space = (c: string | undefined) => c !== undefined && WS.test(c);
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (i < cps.length && space(cps[i])) i += 1;
    if (i >= cps.length) break;
    if (limit >= 0 && out.length === limit) {
      out.push(cps.slice(i).join(''));
      break;
    }
    let j = i;
    while (j < cps.length && !space(cps[j])) j += 1;
    out.push(cps.slice(i, j).join(''));
    i = j;
  }
  return fromRight ? out.map((part) => [...part].reverse().join('')).reverse() : out;
}

/** str.split / str.rsplit. */
export function splitString(text: string, sep: unknown, maxsplit: unknown, fromRight = false): string[] {
  const limit = maxsplit === undefined || maxsplit === null ? -1 : toNumber(maxsplit);
  if (sep === null || sep === undefined) return splitWhitespace(text, limit, fromRight);
  if (typeof sep !== 'string') throw typeError(`must be str or None, not ${typeName(sep)}`);
  if (sep === '') throw valueError('empty separator');
  const parts = text.split(sep);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  return fromRight ? [parts.slice(0, parts.length - limit).join(sep), ...parts.slice(parts.length - limit)] : [...parts.slice(0, limit), parts.slice(limit).join(sep)];
}

/** str.title(): a letter after a non-letter is upper-cased, every other letter lower-cased. */
export function titleCase(text: string): string {
  let previousCased = false;
  let out = '';
  for (const ch of text) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (previousCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    previousCased = cased;
  }
  return out;
}

/** str.capitalize(). */
export function capitalize(text: string): string {
  const [first = '', ...rest] = codePoints(text);
  return first.toUpperCase() + rest.join('').toLowerCase();
}

/** str.center(width, fill) with CPython's choice of the side that gets the odd space. */
export function center(text: string, width: number, fill = ' '): string {
  const margin = width - strLength(text);
  if (margin <= 0) return text;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return fill.repeat(left) + text + fill.repeat(margin - left);
}

function affix(self: string, what: unknown, start: unknown, end: unknown, test: (s: string, p: string) => boolean): boolean {
  const cps = codePoints(self);
  const from = start === null ? 0 : toNumber(start);
  const to = end === null ? cps.length : toNumber(end);
  const region = cps.slice(from < 0 ? Math.max(0, cps.length + from) : from, to < 0 ? cps.length + to : to).join('');
  const options = isTuple(what) || Array.isArray(what) ? what : [what];
  return options.some((p) => {
    if (typeof p !== 'string') throw typeError(`expected a str, not ${typeName(p)}`);
    return test(region, p);
  });
}

const STR: Table<string> = {
  upper: [[], (s) => s.toUpperCase()],
  lower: [[], (s) => s.toLowerCase()],
  casefold: [[], (s) => s.toLowerCase()],
  swapcase: [[], (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')],
  strip: [[['chars', null]], (s, [c]) => stripChars(s, c, 'both')],
  lstrip: [[['chars', null]], (s, [c]) => stripChars(s, c, 'left')],
  rstrip: [[['chars', null]], (s, [c]) => stripChars(s, c, 'right')],
  split: [[['sep', null], ['maxsplit', -1]], (s, [sep, max]) => owned(splitString(s, sep, max))],
  rsplit: [[['sep', null], ['maxsplit', -1]], (s, [sep, max]) => owned(splitString(s, sep, max, true))],
  splitlines: [[['keepends', false]], (s, [keep]) => owned(s === '' ? [] : (s.match(/[^\n\r]*(?:\r\n|\n|\r|$)/g) ?? []).filter((l, i, all) => l !== '' || i < all.length - 1).map((l) => (keep ? l : l.replace(/\r\n|\n|\r$/, ''))))],
  startswith: [[['prefix', REQUIRED], ['start', null], ['end', null]], (s, [p, a, b]) => affix(s, p, a, b, (r, x) => r.startsWith(x))],
  endswith: [[['suffix', REQUIRED], ['start', null], ['end', null]], (s, [p, a, b]) => affix(s, p, a, b, (r, x) => r.endsWith(x))],
  replace: [[['old', REQUIRED], ['new', REQUIRED], ['count', -1]], (s, [o, n, c]) => replaceString(s, String(o), String(n), toNumber(c))],
  find: [[['sub', REQUIRED]], (s, [sub]) => codeIndex(s, s.indexOf(String(sub)))],
  rfind: [[['sub', REQUIRED]], (s, [sub]) => codeIndex(s, s.lastIndexOf(String(sub)))],
  index: [[['sub', REQUIRED]], (s, [sub]) => mustFind(codeIndex(s, s.indexOf(String(sub))))],
  rindex: [[['sub', REQUIRED]], (s, [sub]) => mustFind(codeIndex(s, s.lastIndexOf(String(sub))))],
  count: [[['sub', REQUIRED]], (s, [sub]) => (String(sub) === '' ? strLength(s) + 1 : s.split(String(sub)).length - 1)],
  join: [[['iterable', REQUIRED]], (s, [items]) => joinStrings(s, items)],
  capitalize: [[], (s) => capitalize(s)],
  title: [[], (s) => titleCase(s)],
  center: [[['width', REQUIRED], ['fillchar', ' ']], (s, [w, f]) => center(s, toNumber(w), String(f))],
  ljust: [[['width', REQUIRED], ['fillchar', ' ']], (s, [w, f]) => s + String(f).repeat(Math.max(0, toNumber(w) - strLength(s)))],
  rjust: [[['width', REQUIRED], ['fillchar', ' ']], (s, [w, f]) => String(f).repeat(Math.max(0, toNumber(w) - strLength(s))) + s],
  zfill: [[['width', REQUIRED]], (s, [w]) => (/^[-+]/.test(s) ? s[0] + s.slice(1).padStart(toNumber(w) - 1, '0') : s.padStart(toNumber(w), '0'))],
  removeprefix: [[['prefix', REQUIRED]], (s, [p]) => (s.startsWith(String(p)) ? s.slice(String(p).length) : s)],
  removesuffix: [[['suffix', REQUIRED]], (s, [p]) => (String(p) !== '' && s.endsWith(String(p)) ? s.slice(0, -String(p).length) : s)],
  partition: [[['sep', REQUIRED]], (s, [sep]) => partition(s, String(sep), s.indexOf(String(sep)))],
  rpartition: [[['sep', REQUIRED]], (s, [sep]) => partition(s, String(sep), s.lastIndexOf(String(sep)), true)],
  isdigit: [[], (s) => /^\p{Nd}+$/u.test(s)],
  isdecimal: [[], (s) => /^\p{Nd}+$/u.test(s)],
  isnumeric: [[], (s) => /^\p{N}+$/u.test(s)],
  isalpha: [[], (s) => /^\p{L}+$/u.test(s)],
  isalnum: [[], (s) => /^[\p{L}\p{N}]+$/u.test(s)],
  isspace: [[], (s) => /^\s+$/.test(s)],
  islower: [[], (s) => /\p{Ll}/u.test(s) && s === s.toLowerCase()],
  isupper: [[], (s) => /\p{Lu}/u.test(s) && s === s.toUpperCase()],
  istitle: [[], (s) => /\p{L}/u.test(s) && titleCase(s) === s],
};

function codeIndex(text: string, unitIndex: number): number {
  return unitIndex < 0 ? -1 : strLength(text.slice(0, unitIndex));
}

function mustFind(index: number): number {
  if (index < 0) throw valueError('substring not found');
  return index;
}

function partition(s: string, sep: string, at: number, right = false): unknown[] {
  if (at < 0) return tuple(right ? ['', '', s] : [s, '', '']);
  return tuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
}

/** str.replace(old, new, count) including Python's treatment of an empty `old`. */
export function replaceString(text: string, old: string, replacement: string, count: number): string {
  if (old === '') {
    const cps = codePoints(text);
    const limit = count < 0 ? cps.length + 1 : count;
    let out = '';
    for (let i = 0; i <= cps.length; i += 1) out += (i < limit ? replacement : '') + (cps[i] ?? '');
    return out;
  }
  const parts = text.split(old);
  if (count < 0 || parts.length - 1 <= count) return parts.join(replacement);
  return parts.slice(0, count + 1).join(replacement) + old + parts.slice(count + 1).join(old);
}

function joinStrings(sep: string, items: unknown): string {
  const list = iterableValues(items);
  return list
    .map((item, i) => {
      if (typeof item !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(item)} found`);
      return item;
    })
    .join(sep);
}

/** The items a for loop over `value` visits: characters, list items, dict keys. */
export function iterableValues(value: unknown): unknown[] {
  if (typeof value === 'string') return codePoints(value);
  if (Array.isArray(value)) return value;
  if (isDict(value)) return Object.keys(value);
  throw typeError(`'${typeName(value)}' object is not iterable`);
}

function mutable<T extends object>(self: T, name: string): T {
  if (!isOwned(self)) throw new JinjaRuntimeError(`${name}() may only change a list or dict the template built itself`, 'SecurityError');
  return self;
}

const DICT: Table<Record<string, unknown>> = {
  items: [[], (d) => dictView('dict_items', Object.entries(d).map((pair) => tuple(pair)))],
  keys: [[], (d) => dictView('dict_keys', Object.keys(d))],
  values: [[], (d) => dictView('dict_values', Object.values(d))],
  get: [[['key', REQUIRED], ['default', null]], (d, [k, fallback]) => (typeof k === 'string' && Object.hasOwn(d, k) ? d[k] : fallback)],
  copy: [[], (d) => owned(Object.assign(Object.create(null) as object, d))],
  update: [[['other', REQUIRED]], (d, [other]) => void Object.assign(mutable(d, 'update'), isDict(other) ? other : {})],
  pop: [[['key', REQUIRED], ['default', REQUIRED]], (d, [k, fallback]) => popKey(mutable(d, 'pop'), String(k), fallback)],
  setdefault: [[['key', REQUIRED], ['default', null]], (d, [k, v]) => (Object.hasOwn(mutable(d, 'setdefault'), String(k)) ? d[String(k)] : (d[String(k)] = v))],
};

function popKey(d: Record<string, unknown>, key: string, fallback: unknown): unknown {
  if (Object.hasOwn(d, key)) {
    const value = d[key];
    delete d[key];
    return value;
  }
  if (fallback === REQUIRED) throw new JinjaRuntimeError(`'${key}'`, 'KeyError');
  return fallback;
}

const LIST: Table<unknown[]> = {
  append: [[['object', REQUIRED]], (l, [v]) => void mutable(l, 'append').push(v)],
  extend: [[['iterable', REQUIRED]], (l, [v]) => void mutable(l, 'extend').push(...iterableValues(v))],
  insert: [[['index', REQUIRED], ['object', REQUIRED]], (l, [i, v]) => void mutable(l, 'insert').splice(toNumber(i) < 0 ? Math.max(0, l.length + toNumber(i)) : toNumber(i), 0, v)],
  pop: [[['index', -1]], (l, [i]) => popIndex(mutable(l, 'pop'), toNumber(i))],
  remove: [[['value', REQUIRED]], (l, [v]) => void mutable(l, 'remove').splice(mustFind(l.findIndex((x) => pyEquals(x, v))), 1)],
  clear: [[], (l) => void (mutable(l, 'clear').length = 0)],
  index: [[['value', REQUIRED]], (l, [v]) => mustFind(l.findIndex((x) => pyEquals(x, v)))],
  count: [[['value', REQUIRED]], (l, [v]) => l.filter((x) => pyEquals(x, v)).length],
  copy: [[], (l) => owned([...l])],
  reverse: [[], (l) => void mutable(l, 'reverse').reverse()],
};

function popIndex(list: unknown[], index: number): unknown {
  const i = index < 0 ? list.length + index : index;
  if (i < 0 || i >= list.length) throw new JinjaRuntimeError('pop index out of range', 'IndexError');
  return list.splice(i, 1)[0];
}

function bound<T>(self: T, owner: string, name: string, table: Table<T>): PyCallable | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const [signature, method] = table[name] as [Signature, Method<T>];
  return new PyCallable(name, (args, kwargs) => method(self, bind(name, signature, args, kwargs)), `<built-in method ${name} of ${owner} object>`);
}

/** The method `name` of `value` bound to it, or undefined when the type has none by that name. */
export function methodOf(value: unknown, name: string, getField: (value: unknown, key: string, isItem: boolean) => unknown): PyCallable | undefined {
  if (value instanceof Undefined) return undefined;
  if (typeof value === 'string') {
    if (name === 'format') {
      return new PyCallable('format', (args, kwargs) => strFormat(value, args, kwargs, getField), '<built-in method format of str object>');
    }
    return bound(value, 'str', name, STR);
  }
  if (Array.isArray(value)) {
    if (isTuple(value)) return name === 'index' || name === 'count' ? bound(value, 'tuple', name, LIST) : undefined;
    return bound(value, 'list', name, LIST);
  }
  if (isDict(value)) return bound(value, 'dict', name, DICT);
  return undefined;
}

