import type { FunctionTable } from './dispatch.ts';
import { YaqlFault } from './errors.ts';
import type { Scope } from './scope.ts';
import { define, p } from './table.ts';
import { pyList, YaqlDict, YaqlIterator, YaqlRegex } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * Regular expressions (yaql's `standard_library/regex.py`) on JavaScript's engine, with Python's
 * syntax translated where it differs: `(?P<name>…)`, `(?P=name)`, `\A`, `\Z`, leading inline flags
 * `(?imsx)`, and `\1` / `\g<name>` in replacements. Character classes (`\w`, `\d`, `\b`) are ASCII.
 */
export function registerRegex(table: FunctionTable): void {
  define(table, 'regex', {
    kind: 'function',
    params: [p('pattern', 'string'), p('ignoreCase', 'any', { default: false }), p('multiLine', 'any', { default: false }), p('dotAll', 'any', { default: false })],
    impl: ({ args }) => {
      const flags = `${args[1] ? 'i' : ''}${args[2] ? 'm' : ''}${args[3] ? 's' : ''}`;
      return toRegex(args[0] as string, flags);
    },
  });
  define(
    table,
    'matches',
    { kind: 'method', params: [p('regexp', 'regex'), p('string', 'string')], impl: ({ args }) => searchRegex(args[0] as YaqlRegex, args[1] as string) !== null },
    { kind: 'method', params: [p('string', 'string'), p('regexp', 'string')], impl: ({ args }) => searchRegex(toRegex(args[1] as string), args[0] as string) !== null },
  );
  define(table, 'search', {
    kind: 'method',
    params: [p('regexp', 'regex'), p('string', 'string'), p('selector', 'contextLambda', { default: null })],
    impl: ({ args, env }) => {
      const match = searchRegex(args[0] as YaqlRegex, args[1] as string);
      if (match === null) return null;
      const selector = args[2] as ((s: Scope) => YaqlValue) | null;
      return selector === null ? (match[0] as string) : selector(publishMatch(env.scope.child(), match));
    },
  });
  define(table, 'searchAll', {
    kind: 'method',
    params: [p('regexp', 'regex'), p('string', 'string'), p('selector', 'contextLambda', { default: null })],
    impl: ({ args, env }) => {
      const selector = args[2] as ((s: Scope) => YaqlValue) | null;
      return new YaqlIterator(allMatches(args[0] as YaqlRegex, args[1] as string).map((m) => (selector === null ? (m[0] as string) : selector(publishMatch(env.scope.child(), m)))));
    },
  });
  define(
    table,
    'split',
    { kind: 'method', params: [p('regexp', 'regex'), p('string', 'string'), p('maxSplit', 'int', { default: 0 })], impl: ({ args }) => splitRegex(args[0] as YaqlRegex, args[1] as string, args[2] as number) },
    { kind: 'method', params: [p('string', 'string'), p('regexp', 'regex'), p('maxSplit', 'int', { default: 0 })], impl: ({ args }) => splitRegex(args[1] as YaqlRegex, args[0] as string, args[2] as number) },
  );
  define(
    table,
    'replace',
    { kind: 'method', params: [p('regexp', 'regex'), p('string', 'string'), p('repl', 'string'), p('count', 'int', { default: 0 })], impl: ({ args }) => substitute(args[0] as YaqlRegex, args[1] as string, (m) => expandTemplate(args[2] as string, m), args[3] as number) },
    { kind: 'method', params: [p('string', 'string'), p('regexp', 'regex'), p('repl', 'string'), p('count', 'int', { default: 0 })], impl: ({ args }) => substitute(args[1] as YaqlRegex, args[0] as string, (m) => expandTemplate(args[2] as string, m), args[3] as number) },
  );
  const replaceBy = (regexAt: number, stringAt: number) => ({
    kind: 'method' as const,
    params: regexAt === 0 ? [p('regexp', 'regex'), p('string', 'string'), p('repl', 'contextLambda'), p('count', 'int', { default: 0 })] : [p('string', 'string'), p('regexp', 'regex'), p('repl', 'contextLambda'), p('count', 'int', { default: 0 })],
    impl: ({ args, env }: { args: unknown[]; env: { scope: Scope } }) =>
      substitute(args[regexAt] as YaqlRegex, args[stringAt] as string, (m) => {
        const value = (args[2] as (s: Scope) => YaqlValue)(publishMatch(env.scope.child(), m));
        if (typeof value !== 'string') throw new YaqlFault('TypeError', 'the replacement must be a string');
        return value;
      }, args[3] as number),
  });
  define(table, 'replaceBy', replaceBy(0, 1), replaceBy(1, 0));
  define(table, 'escapeRegex', { kind: 'function', params: [p('string', 'string')], impl: ({ args }) => (args[0] as string).replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`) });
  define(table, 'isRegex', { kind: 'function', params: [p('value', 'any')], impl: ({ args }) => args[0] instanceof YaqlRegex });
}

/** Compiles a Python pattern; a pattern JavaScript rejects is a ValueError, as `re.error` is in yaql. */
export function toRegex(pattern: string, flags = ''): YaqlRegex {
  let source = pattern;
  let extra = flags;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    extra += (inline[1] as string).replace(/[aLux]/g, '');
  }
  source = source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1(?<![\\s\\S])')
    .replace(/(^|[^\\])\\Z/g, '$1(?![\\s\\S])');
  try {
    return new YaqlRegex(pattern, new RegExp(source, [...new Set(extra)].join('')));
  } catch (error) {
    throw new YaqlFault('ValueError', `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`, { cause: error });
  }
}

/** Python's `re.search`: the first match anywhere, or null. */
export function searchRegex(regex: YaqlRegex, text: string): RegExpExecArray | null {
  return new RegExp(regex.regexp.source, regex.regexp.flags.replace('g', '')).exec(text);
}

function allMatches(regex: YaqlRegex, text: string): RegExpExecArray[] {
  const global = new RegExp(regex.regexp.source, `${regex.regexp.flags.replace('g', '')}g`);
  const out: RegExpExecArray[] = [];
  for (let m = global.exec(text); m !== null; m = global.exec(text)) {
    out.push(m);
    if (m[0] === '') global.lastIndex += 1;
  }
  return out;
}

function splitRegex(regex: YaqlRegex, text: string, maxSplit: number): YaqlValue {
  const parts: YaqlValue[] = [];
  let last = 0;
  let splits = 0;
  for (const m of allMatches(regex, text)) {
    if (maxSplit > 0 && splits >= maxSplit) break;
    parts.push(text.slice(last, m.index), ...m.slice(1).map((g) => g ?? null));
    last = m.index + m[0].length;
    splits += 1;
  }
  parts.push(text.slice(last));
  return pyList(parts);
}

function substitute(regex: YaqlRegex, text: string, replacement: (m: RegExpExecArray) => string, count: number): string {
  let out = '';
  let last = 0;
  let done = 0;
  for (const m of allMatches(regex, text)) {
    if (count > 0 && done >= count) break;
    out += text.slice(last, m.index) + replacement(m);
    last = m.index + m[0].length;
    done += 1;
  }
  return out + text.slice(last);
}

/** Python's replacement template: `\1`, `\g<1>`, `\g<name>`, `\n`, `\\`. */
function expandTemplate(template: string, m: RegExpExecArray): string {
  return template.replace(/\\(g<([^>]*)>|\d{1,2}|[nrtfv\\]|.)/g, (whole, esc: string, name: string | undefined) => {
    if (name !== undefined) return /^\d+$/.test(name) ? (m[Number(name)] ?? '') : (m.groups?.[name] ?? '');
    if (/^\d/.test(esc)) {
      if (Number(esc) >= m.length) throw new YaqlFault('ValueError', `invalid group reference ${esc}`);
      return m[Number(esc)] ?? '';
    }
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '\\': '\\' };
    return simple[esc] ?? whole;
  });
}

/** yaql's match publication: `$1` the whole match, `$2…` the groups, each `{value, start, end}`. */
function publishMatch(scope: Scope, m: RegExpExecArray): Scope {
  const record = (value: string | undefined, start: number): YaqlDict =>
    new YaqlDict([
      ['value', value ?? null],
      ['start', value === undefined ? -1 : start],
      ['end', value === undefined ? -1 : start + value.length],
    ]);
  scope.set('$1', record(m[0], m.index));
  let offset = m.index;
  m.slice(1).forEach((group, i) => {
    const start = group === undefined ? -1 : m.input.indexOf(group, offset);
    if (start >= 0) offset = start;
    scope.set(`$${i + 2}`, record(group, start));
  });
  return scope;
}
