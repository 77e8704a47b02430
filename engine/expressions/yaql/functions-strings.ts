import type { FunctionTable } from './dispatch.ts';
import { YaqlFault } from './errors.ts';
import { joinStrings } from './functions-operators.ts';
import { pyFormat } from './python-format.ts';
import { yaqlStr } from './python-text.ts';
import { define, p } from './table.ts';
import { itemsOf, pyList, PyFloat, tuple } from './values.ts';
import type { YaqlValue , YaqlDict } from './values.ts';

type Seq = readonly YaqlValue[];
const WHITESPACE = /^\s+|\s+$/g;

/**
 * String functions (yaql's `standard_library/strings.py`): `str`, `len`, `toUpper`, `toLower`,
 * `split`, `rightSplit`, `join`, `concat`, `trim`, `trimLeft`, `trimRight`, `norm`, `isEmpty`,
 * `replace`, `format`, `substring`, `indexOf`, `lastIndexOf`, `toCharArray`, `isString`,
 * `startsWith`, `endsWith`, `hex`. Offsets count UTF-16 units, not Python's code points.
 */
export function registerStrings(table: FunctionTable): void {
  const s = (name: string) => p(name, 'string');
  const method = (params: ReturnType<typeof p>[], impl: (args: unknown[]) => YaqlValue) => ({ kind: 'method' as const, params, impl: ({ args }: { args: unknown[] }) => impl(args) });

  define(table, 'str', { kind: 'function', params: [p('value', 'any')], impl: ({ args }) => yaqlStr(args[0] as YaqlValue) });
  define(table, 'len', { kind: 'extension', params: [s('string')], impl: ({ args }) => Array.from(args[0] as string).length });
  define(table, 'toUpper', method([s('string')], ([text]) => (text as string).toUpperCase()));
  define(table, 'toLower', method([s('string')], ([text]) => (text as string).toLowerCase()));
  define(table, 'split', method([s('string'), p('separator', 'string', { nullable: true, default: null }), p('maxSplits', 'int', { default: -1 })], ([text, sep, max]) => pyList(splitString(text as string, sep as string | null, max as number))));
  define(table, 'rightSplit', method([s('string'), p('separator', 'string', { nullable: true, default: null }), p('maxSplits', 'int', { default: -1 })], ([text, sep, max]) => pyList(rightSplit(text as string, sep as string | null, max as number))));
  define(
    table,
    'join',
    method([p('sequence', 'iterable'), s('separator')], ([seq, sep]) => joinStrings(itemsOf(seq as Seq).map(yaqlStr), sep as string)),
    method([s('separator'), p('sequence', 'iterable')], ([sep, seq]) => joinStrings(itemsOf(seq as Seq).map(yaqlStr), sep as string)),
  );
  define(table, 'concat', { kind: 'function', params: [], rest: s('args'), impl: ({ args }) => joinStrings(args as string[]) });
  const trimmer = (mode: 'both' | 'left' | 'right') => method([s('string'), p('chars', 'string', { nullable: true, default: null })], ([text, chars]) => strip(text as string, chars as string | null, mode));
  define(table, 'trim', trimmer('both'));
  define(table, 'trimLeft', trimmer('left'));
  define(table, 'trimRight', trimmer('right'));
  define(table, 'norm', {
    kind: 'extension',
    params: [p('string', 'string', { nullable: true }), p('chars', 'string', { nullable: true, default: null })],
    impl: ({ args }) => (args[0] === null ? null : strip(args[0] as string, args[1] as string | null, 'both') || null),
  });
  define(table, 'isEmpty', {
    kind: 'extension',
    params: [p('string', 'string', { nullable: true }), p('trim', 'bool', { default: true }), p('chars', 'string', { nullable: true, default: null })],
    impl: ({ args }) => args[0] === null || (args[1] ? strip(args[0] as string, args[2] as string | null, 'both') : (args[0] as string)) === '',
  });
  define(
    table,
    'replace',
    method([s('string'), s('old'), s('new'), p('count', 'int', { default: -1 })], ([text, old, replacement, count]) => replaceString(text as string, old as string, replacement as string, count as number)),
    method([s('string'), p('replacements', 'mapping'), p('count', 'int', { default: -1 })], ([text, map, count]) =>
      (map as YaqlDict).items().reduce<string>((acc, [k, v]) => replaceString(acc, yaqlStr(k), yaqlStr(v), count as number), text as string),
    ),
  );
  define(table, 'format', {
    kind: 'extension',
    params: [s('format')],
    rest: p('args', 'any'),
    kwargs: p('kwargs', 'any'),
    impl: ({ args, kwargs }) => pyFormat(args[0] as string, args.slice(1) as YaqlValue[], kwargs),
  });
  define(table, 'substring', method([s('string'), p('start', 'int'), p('length', 'int', { default: -1 })], ([text, start, length]) => {
    const str = text as string;
    const len = (length as number) < 0 ? str.length : (length as number);
    const from = (start as number) < 0 ? (start as number) + str.length : (start as number);
    return pySlice(str, from, from + len);
  }));
  define(
    table,
    'indexOf',
    method([s('string'), s('sub'), p('start', 'int', { default: 0 })], ([text, sub, start]) => find(text as string, sub as string, start as number, undefined, false)),
    method([s('string'), s('sub'), p('start', 'int'), p('length', 'int')], ([text, sub, start, length]) => findRange(text as string, sub as string, start as number, length as number, false)),
  );
  define(
    table,
    'lastIndexOf',
    method([s('string'), s('sub'), p('start', 'int', { default: 0 })], ([text, sub, start]) => find(text as string, sub as string, start as number, undefined, true)),
    method([s('string'), s('sub'), p('start', 'int'), p('length', 'int')], ([text, sub, start, length]) => findRange(text as string, sub as string, start as number, length as number, true)),
  );
  define(table, 'toCharArray', method([s('string')], ([text]) => tuple(Array.from(text as string))));
  define(table, 'isString', { kind: 'function', params: [p('arg', 'any')], impl: ({ args }) => typeof args[0] === 'string' });
  define(table, 'startsWith', { kind: 'method', params: [s('string')], rest: s('prefixes'), impl: ({ args }) => (args.slice(1) as string[]).some((x) => (args[0] as string).startsWith(x)) });
  define(table, 'endsWith', { kind: 'method', params: [s('string')], rest: s('suffixes'), impl: ({ args }) => (args.slice(1) as string[]).some((x) => (args[0] as string).endsWith(x)) });
  define(table, 'hex', {
    kind: 'function',
    params: [p('num', 'number', { nullable: true })],
    impl: ({ args }) => {
      const n = args[0];
      if (n instanceof PyFloat || n === null) throw new YaqlFault('TypeError', 'hex() needs an integer');
      return `${(n as number) < 0 ? '-' : ''}0x${Math.abs(n as number).toString(16)}`;
    },
  });
}

/** Python's `str.split(sep, maxsplit)`; no separator splits on runs of whitespace. */
function splitString(text: string, sep: string | null, max: number): YaqlValue[] {
  if (sep === '') throw new YaqlFault('ValueError', 'empty separator');
  if (sep === null) {
    const parts: string[] = [];
    let rest = text.replace(/^\s+/, '');
    while (rest !== '') {
      if (max >= 0 && parts.length >= max) {
        parts.push(rest);
        return parts;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  const all = text.split(sep);
  if (max < 0 || all.length <= max + 1) return all;
  return [...all.slice(0, max), all.slice(max).join(sep)];
}

function rightSplit(text: string, sep: string | null, max: number): YaqlValue[] {
  if (max < 0) return splitString(text, sep, max);
  const reversed = [...text].reverse().join('');
  const reversedSep = sep === null ? null : [...sep].reverse().join('');
  return splitString(reversed, reversedSep, max).map((part) => [...(part as string)].reverse().join('')).reverse();
}

/** Python's `strip(chars)`: any of `chars` off the ends, whitespace when null. */
function strip(text: string, chars: string | null, mode: 'both' | 'left' | 'right'): string {
  if (chars === null) {
    if (mode === 'both') return text.replace(WHITESPACE, '');
    return mode === 'left' ? text.replace(/^\s+/, '') : text.replace(/\s+$/, '');
  }
  const set = new Set(Array.from(chars));
  const arr = Array.from(text);
  let start = 0;
  let end = arr.length;
  if (mode !== 'right') while (start < end && set.has(arr[start] as string)) start += 1;
  if (mode !== 'left') while (end > start && set.has(arr[end - 1] as string)) end -= 1;
  return arr.slice(start, end).join('');
}

function replaceString(text: string, old: string, replacement: string, count: number): string {
  if (count < 0) return joinStrings(text.split(old), replacement);
  const parts = text.split(old);
  if (parts.length - 1 <= count) return joinStrings(parts, replacement);
  return joinStrings([joinStrings(parts.slice(0, count + 1), replacement), parts.slice(count + 1).join(old)], old);
}

/** Python slicing `s[from:to]`, negatives counting from the end, out of range clamped. */
function pySlice(text: string, from: number, to: number): string {
  const n = text.length;
  const clamp = (i: number): number => (i < 0 ? Math.max(0, n + i) : Math.min(n, i));
  return text.slice(clamp(from), Math.max(clamp(from), clamp(to)));
}

function find(text: string, sub: string, start: number, end: number | undefined, last: boolean): number {
  const n = text.length;
  const from = start < 0 ? Math.max(0, n + start) : start;
  const to = end === undefined ? n : end < 0 ? Math.max(0, n + end) : Math.min(n, end);
  if (from > n || to - from < sub.length) return -1;
  const window = text.slice(from, to);
  const at = last ? window.lastIndexOf(sub) : window.indexOf(sub);
  return at < 0 ? -1 : at + from;
}

function findRange(text: string, sub: string, start: number, length: number, last: boolean): number {
  const from = start < 0 ? start + text.length : start;
  const len = length < 0 ? text.length - from : length;
  return find(text, sub, from, from + len, last);
}

