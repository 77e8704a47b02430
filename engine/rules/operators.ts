import { AttuneError } from '../errors/index.ts';
import { MATCH_INPUT_MAX_CHARS, REGEX_CACHE_MAX } from './defaults.ts';
import { pyCompare, pyContains, pyEquals, pyFloat } from './python-values.ts';
import { PythonRegexSyntax } from './python-regex.ts';
import type { PythonRegexFlags } from './python-regex.ts';
import { compilePythonRegex, regexTest } from './regex.ts';
import type { RegexMode } from './regex.ts';
import { parseTimestamp } from './timestamps.ts';
import { compileFnmatch, matchGlob } from './wildcard.ts';
import type { Glob } from './wildcard.ts';

/** What an operator sees besides the value and the pattern. */
export interface OperatorContext {
  /** The instant `timediff_*` measures against. */
  now: Date;
}

/**
 * An operator: true when `value` (from the payload; null when the key is missing) satisfies
 * `pattern` (from the rule, rendered). Where st2's Python raises (a value of the wrong type), the
 * answer is false, as st2 counts it.
 */
export type OperatorFn = (value: unknown, pattern: unknown, ctx: OperatorContext) => boolean;

/**
 * Raised by an operator that cannot answer: its pattern is unusable (a regex RE2 cannot run) or
 * the value is past the bound matched. Internal: the criteria evaluator reports it as a
 * CriterionError naming the criterion, and the criterion does not hold.
 */
export class BadPattern extends AttuneError {
  override readonly code = 'bad_pattern';
  override readonly status = 400;
  override name = 'BadPattern';
}

/**
 * What a criterion's `pattern` must be, checked when a rule is registered: `none` (exists,
 * nexists: ignored), `any` JSON value, `string`, `regex` (a Python regex RE2 can run), `seconds`
 * (a number or numeric text), `criteria` (search: nested criteria over each item).
 */
export type PatternKind = 'none' | 'any' | 'string' | 'regex' | 'seconds' | 'criteria';

/** An operator's definition: its function, its pattern's kind, and its regex mode and flags. */
export interface OperatorSpec {
  fn: OperatorFn;
  pattern: PatternKind;
  regex?: { mode: RegexMode; flags: PythonRegexFlags };
}

const str = (v: unknown): v is string => typeof v === 'string';
const both = (value: unknown, pattern: unknown, f: (v: string, p: string) => boolean): boolean => str(value) && str(pattern) && f(value, pattern);

function bounded(value: string, operator: string): string {
  if (value.length > MATCH_INPUT_MAX_CHARS) {
    throw new BadPattern(`the value has ${value.length} characters, more than the ${MATCH_INPUT_MAX_CHARS} ${operator} matches`);
  }
  return value;
}

function regexOperator(mode: RegexMode, flags: PythonRegexFlags, name: string): OperatorSpec {
  const fn: OperatorFn = (value, pattern) => {
    if (!str(pattern) || !str(value)) return false;
    try {
      return regexTest(compilePythonRegex(pattern, mode, flags), bounded(value, name));
    } catch (error) {
      if (!(error instanceof PythonRegexSyntax)) throw error;
      throw new BadPattern(`not a regular expression RE2 can run: ${error.message}`, { cause: error });
    }
  };
  return { fn, pattern: 'regex', regex: { mode, flags } };
}

const globs = new Map<string, Glob>();

function globOf(pattern: string): Glob {
  let glob = globs.get(pattern);
  if (!glob) {
    if (globs.size >= REGEX_CACHE_MAX) globs.clear();
    glob = compileFnmatch(pattern);
    globs.set(pattern, glob);
  }
  return glob;
}

function wildcard(value: unknown, pattern: unknown): boolean {
  if (!str(pattern) || !str(value)) return false;
  const result = matchGlob(globOf(pattern), bounded(value, 'matchwildcard'));
  if (result.exhausted) throw new BadPattern(`the pattern needs more than the bounded work to match a value of ${value.length} characters`);
  return result.matched;
}

function timediff(value: unknown, pattern: unknown, now: Date, holds: (ageSeconds: number, limit: number) => boolean): boolean {
  const limit = pyFloat(pattern);
  const at = str(value) ? parseTimestamp(value) : undefined;
  return limit !== undefined && at !== undefined && holds((now.getTime() - at) / 1000, limit);
}

const order = (value: unknown, pattern: unknown, holds: (sign: number) => boolean): boolean => {
  const sign = pattern === null ? undefined : pyCompare(value, pattern);
  return sign !== undefined && holds(sign);
};

/** st2's operators (st2common/operators.py) with the type behaviour of their Python expressions. */
const CANONICAL: Record<string, OperatorSpec> = {
  equals: { fn: (v, p) => p !== null && pyEquals(v, p), pattern: 'any' },
  nequals: { fn: (v, p) => !pyEquals(v, p), pattern: 'any' },
  iequals: { fn: (v, p) => both(v, p, (a, b) => a.toLowerCase() === b.toLowerCase()), pattern: 'string' },
  contains: { fn: (v, p) => p !== null && pyContains(v, p) === true, pattern: 'any' },
  ncontains: { fn: (v, p) => p !== null && pyContains(v, p) === false, pattern: 'any' },
  icontains: { fn: (v, p) => both(v, p, (a, b) => a.toLowerCase().includes(b.toLowerCase())), pattern: 'string' },
  incontains: { fn: (v, p) => both(v, p, (a, b) => !a.toLowerCase().includes(b.toLowerCase())), pattern: 'string' },
  startswith: { fn: (v, p) => both(v, p, (a, b) => a.startsWith(b)), pattern: 'string' },
  istartswith: { fn: (v, p) => both(v, p, (a, b) => a.toLowerCase().startsWith(b.toLowerCase())), pattern: 'string' },
  endswith: { fn: (v, p) => both(v, p, (a, b) => a.endsWith(b)), pattern: 'string' },
  iendswith: { fn: (v, p) => both(v, p, (a, b) => a.toLowerCase().endsWith(b.toLowerCase())), pattern: 'string' },
  lessthan: { fn: (v, p) => order(v, p, (s) => s < 0), pattern: 'any' },
  greaterthan: { fn: (v, p) => order(v, p, (s) => s > 0), pattern: 'any' },
  matchwildcard: { fn: wildcard, pattern: 'string' },
  // `matchregex` (deprecated in st2) is Python's re.match with DOTALL: anchored at the start only.
  matchregex: regexOperator('match', { dotAll: true }, 'matchregex'),
  // `regex` and `iregex` are re.search: a match anywhere. Anchor with ^…$ for a whole match.
  regex: regexOperator('search', {}, 'regex'),
  iregex: regexOperator('search', { ignoreCase: true }, 'iregex'),
  timediff_lt: { fn: (v, p, c) => p !== null && timediff(v, p, c.now, (age, limit) => age < limit), pattern: 'seconds' },
  timediff_gt: { fn: (v, p, c) => p !== null && timediff(v, p, c.now, (age, limit) => age > limit), pattern: 'seconds' },
  // As in st2, a key whose value is null does not exist.
  exists: { fn: (v) => v !== null, pattern: 'none' },
  nexists: { fn: (v) => v === null, pattern: 'none' },
  inside: { fn: (v, p) => p !== null && pyContains(p, v) === true, pattern: 'any' },
  ninside: { fn: (v, p) => p !== null && pyContains(p, v) === false, pattern: 'any' },
  // Evaluated by the criteria evaluator, which recurses into the nested criteria.
  search: { fn: () => false, pattern: 'criteria' },
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

/** An operator resolved from a criterion `type`: its canonical name and definition. */
export interface Operator extends OperatorSpec {
  name: string;
  /** False for `exists` and `nexists`, which ignore their pattern. */
  needsPattern: boolean;
}

/**
 * Resolves a criterion `type` (case-insensitive, as st2 does when it evaluates) to its operator,
 * or undefined when unknown.
 */
export function getOperator(type: string): Operator | undefined {
  const lowered = type.toLowerCase();
  const name = ALIASES[lowered] ?? lowered;
  const spec = Object.hasOwn(CANONICAL, name) ? CANONICAL[name] : undefined;
  return spec && { name, ...spec, needsPattern: spec.pattern !== 'none' };
}
