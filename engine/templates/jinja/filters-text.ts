/** jinja2's built-in filters over strings, and tojson (jinja2/filters.py, 3.1). */
import { REQUIRED } from './arguments.ts';
import { filter, text } from './filter-support.ts';
import { percentFormat } from './format.ts';
import { JinjaRuntimeError } from './jinja-errors.ts';
import { capitalize, center, replaceString } from './methods.ts';
import { pyJsonDumps } from './python-json.ts';
import type { Filter } from './runtime.ts';
import { wrap } from './textwrap.ts';
import { codePoints, isDict, isNumeric, newDict, strLength, toNumber, tuple } from './values.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

function escapeHtml(value: unknown): string {
  return text(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function urlQuote(value: unknown, forQuery: boolean): string {
  const bytes = new TextEncoder().encode(text(value));
  let out = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && (ALWAYS_SAFE.test(ch) || (!forQuery && ch === '/')) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return forQuery ? out.replace(/%20/g, '+') : out;
}

function unescapeHtml(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return named[body] ?? whole;
  });
}

function stripTags(value: string): string {
  let s = value;
  for (let start = s.indexOf('<!--'); start >= 0; start = s.indexOf('<!--')) {
    const end = s.indexOf('-->', start);
    if (end < 0) break;
    s = s.slice(0, start) + s.slice(end + 3);
  }
  for (let start = s.indexOf('<'); start >= 0; start = s.indexOf('<')) {
    const end = s.indexOf('>', start);
    if (end < 0) break;
    s = s.slice(0, start) + s.slice(end + 1);
  }
  return unescapeHtml(s.split(/\s+/).filter(Boolean).join(' '));
}

function indent(value: string, width: unknown, first: unknown, blank: unknown): string {
  const indention = typeof width === 'string' ? width : ' '.repeat(toNumber(width));
  const lines = `${value}\n`.split(/\r\n|\r|\n/).slice(0, -1);
  let out: string;
  if (blank) out = lines.join(`\n${indention}`);
  else {
    const [head = '', ...rest] = lines;
    out = head + (rest.length > 0 ? `\n${rest.map((line) => (line ? indention + line : line)).join('\n')}` : '');
  }
  return first ? indention + out : out;
}

function truncate(s: string, length: number, killwords: unknown, end: string, leeway: number): string {
  if (length < strLength(end)) throw new JinjaRuntimeError(`expected length >= ${strLength(end)}, got ${length}`, 'AssertionError');
  const cps = codePoints(s);
  if (cps.length <= length + leeway) return s;
  const head = cps.slice(0, length - strLength(end)).join('');
  if (killwords) return head + end;
  const space = head.lastIndexOf(' ');
  return (space < 0 ? head : head.slice(0, space)) + end;
}

function fileSize(value: unknown, binary: unknown): string {
  const bytes = isNumeric(value) ? toNumber(value) : Number(text(value));
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  let prefix = prefixes[0] ?? '';
  for (const [i, p] of prefixes.entries()) {
    unit = base ** (i + 2);
    prefix = p;
    if (bytes < unit) break;
  }
  return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
}

/** jinja2's filters over text, by name. */
export const TEXT_FILTERS: Record<string, Filter> = {
  capitalize: filter('capitalize', [], (_ctx, v) => capitalize(text(v))),
  center: filter('center', [['width', 80]], (_ctx, v, [w]) => center(text(v), toNumber(w))),
  escape: filter('escape', [], (_ctx, v) => escapeHtml(v)),
  e: filter('e', [], (_ctx, v) => escapeHtml(v)),
  forceescape: filter('forceescape', [], (_ctx, v) => escapeHtml(v)),
  filesizeformat: filter('filesizeformat', [['binary', false]], (_ctx, v, [b]) => fileSize(v, b)),
  format: (_ctx, v, args, kwargs) => {
    const named = Object.keys(kwargs).length > 0;
    if (named && args.length > 0) throw new JinjaRuntimeError("can't handle positional and keyword arguments at the same time", 'FilterArgumentError');
    return percentFormat(text(v), named ? newDict(Object.entries(kwargs)) : tuple(args));
  },
  indent: filter('indent', [['width', 4], ['first', false], ['blank', false]], (_ctx, v, [w, f, b]) => indent(text(v), w, f, b)),
  lower: filter('lower', [], (_ctx, v) => text(v).toLowerCase()),
  upper: filter('upper', [], (_ctx, v) => text(v).toUpperCase()),
  replace: filter('replace', [['old', REQUIRED], ['new', REQUIRED], ['count', null]], (_ctx, v, [o, n, c]) =>
    replaceString(text(v), text(o), text(n), c === null ? -1 : toNumber(c)),
  ),
  safe: filter('safe', [], (_ctx, v) => text(v)),
  string: filter('string', [], (_ctx, v) => text(v)),
  striptags: filter('striptags', [], (_ctx, v) => stripTags(text(v))),
  title: filter('title', [], (_ctx, v) =>
    text(v)
      .split(/([-\s({[<]+)/)
      .filter((item) => item !== '')
      .map((item) => {
        const [first = '', ...rest] = codePoints(item);
        return first.toUpperCase() + rest.join('').toLowerCase();
      })
      .join(''),
  ),
  tojson: filter('tojson', [['indent', null]], (_ctx, v, [indentation]) =>
    pyJsonDumps(v, { sortKeys: true, indent: indentation as number | null })
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/'/g, '\\u0027'),
  ),
  trim: filter('trim', [['chars', null]], (_ctx, v, [chars]) => {
    const s = text(v);
    if (chars === null) return s.replace(/^\s+|\s+$/g, '');
    const set = new Set(codePoints(text(chars)));
    const cps = codePoints(s);
    let start = 0;
    let end = cps.length;
    while (start < end && set.has(cps[start] as string)) start += 1;
    while (end > start && set.has(cps[end - 1] as string)) end -= 1;
    return cps.slice(start, end).join('');
  }),
  truncate: filter('truncate', [['length', 255], ['killwords', false], ['end', '...'], ['leeway', null]], (_ctx, v, [len, kill, end, leeway]) =>
    truncate(text(v), toNumber(len), kill, text(end), leeway === null ? 5 : toNumber(leeway)),
  ),
  urlencode: filter('urlencode', [], (ctx, v) => {
    if (typeof v === 'string' || !(Array.isArray(v) || isDict(v))) return urlQuote(v, false);
    const pairs = isDict(v) ? Object.entries(v) : v.map((pair) => ctx.iterate(pair));
    return pairs.map(([k, val]) => `${urlQuote(k, true)}=${urlQuote(val, true)}`).join('&');
  }),
  wordwrap: filter('wordwrap', [['width', 79], ['break_long_words', true], ['wrapstring', null], ['break_on_hyphens', true]], (_ctx, v, [w, longWords, wrapString, hyphens]) => {
    const sep = wrapString === null ? '\n' : text(wrapString);
    const lines = text(v).split(/\r\n|\r|\n/);
    if (lines.at(-1) === '') lines.pop();
    return lines.map((line) => wrap(line, toNumber(w), Boolean(longWords), Boolean(hyphens)).join(sep)).join(sep);
  }),
  wordcount: filter('wordcount', [], (_ctx, v) => (text(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length),
};
