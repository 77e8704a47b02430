/**
 * Python's re.match / search / sub / findall over RE2 (re2js): matching takes time linear in the
 * input whatever the pattern, so a template cannot hang the process with a hostile pattern.
 * Python syntax RE2 lacks (backreferences, lookaround) is refused with a clear error.
 */
import { RE2JS } from 're2js';
import { JinjaRuntimeError, tuple, typeError } from '../jinja/index.ts';

/** Longest pattern accepted; RE2 compiles in time linear in it, but there is no reason for more. */
export const MAX_PATTERN_CHARS = 4096;

interface Match {
  start: number;
  end: number;
  groups: (string | null)[];
  named: Record<string, number>;
}

const cache = new Map<string, RE2JS>();

function compile(pattern: string, ignoreCase: boolean): RE2JS {
  if (pattern.length > MAX_PATTERN_CHARS) throw new JinjaRuntimeError(`the pattern is longer than ${MAX_PATTERN_CHARS} characters`, 'error');
  const key = `${ignoreCase ? 'i' : '-'}${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  // Python's \Z is RE2's \z (end of text).
  const translated = pattern.replace(/(\\\\)|\\Z/g, (whole, escaped: string | undefined) => escaped ?? '\\z');
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    throw new JinjaRuntimeError(`invalid regular expression: ${reason}`, 'error', { cause: error });
  }
  if (cache.size >= 500) cache.clear();
  cache.set(key, re);
  return re;
}

function toMatch(m: ReturnType<RE2JS['matcher']>): Match {
  const groups: (string | null)[] = [];
  for (let g = 0; g <= m.groupCount(); g += 1) groups.push(m.group(g));
  return { start: m.start(), end: m.end(), groups, named: m.namedGroups };
}

/** Every non-overlapping match, with Python 3.7's handling of empty matches. */
function findAll(text: string, pattern: string, ignoreCase: boolean): Match[] {
  const m = compile(pattern, ignoreCase).matcher(text);
  const out: Match[] = [];
  while (m.find()) out.push(toMatch(m));
  return out;
}

/** re.match: a match anchored at the start. */
export function reMatch(text: string, pattern: string, ignoreCase: boolean): boolean {
  return compile(pattern, ignoreCase).matcher(text).lookingAt();
}

/** re.search: a match anywhere. */
export function reSearch(text: string, pattern: string, ignoreCase: boolean): boolean {
  return compile(pattern, ignoreCase).matcher(text).find();
}

const TEMPLATE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Expands a Python replacement template (`\1`, `\g<name>`, `\g<1>`, `\n`) for one match. */
function expand(template: string, match: Match): string {
  return template.replace(/\\(g<([^>]*)>|\d{1,2}|.)/gs, (whole, token: string, groupRef: string | undefined) => {
    if (groupRef !== undefined || /^\d/.test(token)) {
      const ref = groupRef ?? token;
      const index = /^\d+$/.test(ref) ? Number(ref) : match.named[ref];
      if (index === undefined || index >= match.groups.length) throw new JinjaRuntimeError(`invalid group reference ${ref}`, 'error');
      return match.groups[index] ?? '';
    }
    const escape = TEMPLATE_ESCAPES[token];
    if (escape !== undefined) return escape;
    if (/[A-Za-z]/.test(token)) throw new JinjaRuntimeError(`bad escape ${whole}`, 'error');
    return whole;
  });
}

/** re.sub(pattern, replacement, text). */
export function reSub(text: string, pattern: string, replacement: string, ignoreCase: boolean): string {
  let out = '';
  let last = 0;
  for (const match of findAll(text, pattern, ignoreCase)) {
    out += text.slice(last, match.start) + expand(replacement, match);
    last = match.end;
  }
  return out + text.slice(last);
}

/** re.findall: whole matches, the one group, or a tuple of groups. */
export function reFindAll(text: string, pattern: string, ignoreCase: boolean): unknown[] {
  return findAll(text, pattern, ignoreCase).map((match) => {
    const groups = match.groups.slice(1).map((g) => g ?? '');
    if (groups.length === 0) return match.groups[0] ?? '';
    return groups.length === 1 ? groups[0] : tuple(groups);
  });
}

/** The string a regex filter works on: st2 passes non-strings through str(). */
export function subject(value: unknown, str: (v: unknown) => string): string {
  if (typeof value === 'string') return value;
  if (value === undefined) throw typeError('expected a value');
  return str(value);
}
