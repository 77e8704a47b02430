import { isPlainObject, jsonEqual } from './json.ts';
import { AttuneError } from '../errors/index.ts';

/** What an operator sees besides the value and the pattern. */
export interface OperatorContext {
  /** The instant `timediff_*` measures against. */
  now: Date;
}

/** An operator: true when `value` (from the payload) satisfies `pattern` (from the rule). */
export type OperatorFn = (value: unknown, pattern: unknown, ctx: OperatorContext) => boolean;

/**
 * Raised by an operator whose pattern cannot be used (e.g. an invalid regular expression).
 * Internal: the criteria evaluator turns it into a CriterionError naming the criterion.
 */
export class BadPattern extends AttuneError {
  override readonly code = 'bad_pattern';
  override readonly status = 400;
  override name = 'BadPattern';
}

// A value of the wrong type makes st2's Python operators raise, which st2 counts as "no match";
// every operator here returns false instead of throwing in those cases.
const str = (v: unknown): v is string => typeof v === 'string';

/** Python's `needle in haystack` for JSON values; undefined when Python would raise TypeError. */
function pyIn(needle: unknown, haystack: unknown): boolean | undefined {
  if (str(haystack)) return str(needle) ? haystack.includes(needle) : undefined;
  if (Array.isArray(haystack)) return haystack.some((item) => jsonEqual(item, needle));
  if (isPlainObject(haystack)) return str(needle) ? Object.hasOwn(haystack, needle) : false;
  return undefined;
}

const regexCache = new Map<string, RegExp>();
const REGEX_CACHE_MAX = 500;

/** Compiles a Python-flavoured regex: `(?P<name>…)` and `(?P=name)` become their JS spelling. */
function compileRegex(pattern: unknown, flags: string): RegExp {
  if (!str(pattern)) throw new BadPattern(`expected a regular expression string, received ${typeof pattern}`);
  const key = `${flags}/${pattern}`;
  const cached = regexCache.get(key);
  if (cached) return cached;
  const source = pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, flags);
  } catch (error) {
    throw new BadPattern(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
  if (regexCache.size >= REGEX_CACHE_MAX) regexCache.clear();
  regexCache.set(key, compiled);
  return compiled;
}

/** Python's fnmatch: `*`, `?`, `[seq]`, `[!seq]`, matched against the whole string. */
function wildcardToRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        let body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        else if (body.startsWith('^')) body = `\\${body}`;
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

function compare(value: unknown, pattern: unknown, test: (order: number) => boolean): boolean {
  if (typeof value === 'number' && typeof pattern === 'number') return test(value - pattern);
  if (str(value) && str(pattern)) return test(value < pattern ? -1 : value > pattern ? 1 : 0);
  return false;
}

function secondsSince(value: unknown, now: Date): number | undefined {
  if (!str(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : (now.getTime() - at) / 1000;
}

const lower = (v: unknown): unknown => (str(v) ? v.toLowerCase() : v);
const bothStrings = (value: unknown, pattern: unknown, f: (v: string, p: string) => boolean): boolean =>
  str(value) && str(pattern) && f(value, pattern);

/** Canonical operators, st2 semantics (st2common/operators.py). `needsPattern` is checked at load. */
const CANONICAL: Record<string, { fn: OperatorFn; needsPattern: boolean }> = {
  equals: { fn: (v, p) => p !== null && p !== undefined && jsonEqual(v ?? null, p), needsPattern: true },
  nequals: { fn: (v, p) => !jsonEqual(v ?? null, p ?? null), needsPattern: true },
  iequals: { fn: (v, p) => bothStrings(v, p, (a, b) => a.toLowerCase() === b.toLowerCase()), needsPattern: true },
  contains: { fn: (v, p) => p !== null && pyIn(p, v) === true, needsPattern: true },
  ncontains: { fn: (v, p) => p !== null && pyIn(p, v) === false, needsPattern: true },
  icontains: { fn: (v, p) => bothStrings(v, p, (a, b) => a.toLowerCase().includes(b.toLowerCase())), needsPattern: true },
  incontains: { fn: (v, p) => bothStrings(v, p, (a, b) => !a.toLowerCase().includes(b.toLowerCase())), needsPattern: true },
  startswith: { fn: (v, p) => bothStrings(v, p, (a, b) => a.startsWith(b)), needsPattern: true },
  istartswith: { fn: (v, p) => bothStrings(lower(v), lower(p), (a, b) => a.startsWith(b)), needsPattern: true },
  endswith: { fn: (v, p) => bothStrings(v, p, (a, b) => a.endsWith(b)), needsPattern: true },
  iendswith: { fn: (v, p) => bothStrings(lower(v), lower(p), (a, b) => a.endsWith(b)), needsPattern: true },
  matchwildcard: { fn: (v, p) => bothStrings(v, p, (a, b) => wildcardToRegex(b).test(a)), needsPattern: true },
  // st2's deprecated `matchregex` anchors at the start (Python re.match, DOTALL): sticky flag.
  matchregex: {
    fn: (v, p) => {
      const re = compileRegex(p, 'sy');
      re.lastIndex = 0;
      return str(v) && re.test(v);
    },
    needsPattern: true,
  },
  // st2's `regex`/`iregex` use re.search: a match anywhere. Anchor with ^…$ for a full match.
  regex: { fn: (v, p) => str(v) && compileRegex(p, '').test(v), needsPattern: true },
  iregex: { fn: (v, p) => str(v) && compileRegex(p, 'i').test(v), needsPattern: true },
  lessthan: { fn: (v, p) => compare(v, p, (o) => o < 0), needsPattern: true },
  greaterthan: { fn: (v, p) => compare(v, p, (o) => o > 0), needsPattern: true },
  timediff_lt: { fn: (v, p, c) => compare(secondsSince(v, c.now), p, (o) => o < 0), needsPattern: true },
  timediff_gt: { fn: (v, p, c) => compare(secondsSince(v, c.now), p, (o) => o > 0), needsPattern: true },
  // As in st2, a key whose value is null does not exist.
  exists: { fn: (v) => v !== undefined && v !== null, needsPattern: false },
  nexists: { fn: (v) => v === undefined || v === null, needsPattern: false },
  inside: { fn: (v, p) => p !== null && pyIn(v, p) === true, needsPattern: true },
  ninside: { fn: (v, p) => p !== null && pyIn(v, p) === false, needsPattern: true },
};

/** st2's short spellings. */
const ALIASES: Record<string, string> = {
  eq: 'equals',
  neq: 'nequals',
  ieq: 'iequals',
  lt: 'lessthan',
  gt: 'greaterthan',
  td_lt: 'timediff_lt',
  td_gt: 'timediff_gt',
  in: 'inside',
  nin: 'ninside',
};

/** Every operator name a criterion's `type` may use (st2 names and aliases, lower case). */
export const OPERATOR_NAMES: readonly string[] = [...Object.keys(CANONICAL), ...Object.keys(ALIASES)].sort();

/** An operator resolved from a criterion `type`. */
export interface Operator {
  name: string;
  fn: OperatorFn;
  needsPattern: boolean;
}

/**
 * Resolves a criterion `type` (case-insensitive, as st2) to its operator, or undefined when unknown.
 * st2's `search` operator is not supported.
 */
export function getOperator(type: string): Operator | undefined {
  const lowered = type.toLowerCase();
  const name = ALIASES[lowered] ?? lowered;
  const entry = Object.hasOwn(CANONICAL, name) ? CANONICAL[name] : undefined;
  return entry && { name, ...entry };
}
