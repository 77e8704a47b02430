import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';
import { REGEX_CACHE_MAX } from './defaults.ts';
import { PythonRegexSyntax, originalPosition, translatePythonRegex } from './python-regex.ts';
import type { PythonRegexFlags } from './python-regex.ts';

/** `search`: a match anywhere (Python's `re.search`); `match`: a match at the start (`re.match`). */
export type RegexMode = 'search' | 'match';

/** A Python pattern compiled for RE2. */
export interface CompiledRegex {
  re: RE2JS;
  /** RE2's estimate of the pattern's cost per input character. */
  programSize: number;
}

const cache = new Map<string, CompiledRegex>();

/**
 * Compiles a Python `re` pattern to an RE2 program that answers as Python would (see
 * translatePythonRegex for what differs), cached per pattern, mode and flags.
 *
 * @example compilePythonRegex('(ponies|unicorns)', 'search').re.test('apple unicorns') // true
 * @throws PythonRegexSyntax naming the reason and the position in `pattern`.
 */
export function compilePythonRegex(pattern: string, mode: RegexMode, flags: PythonRegexFlags = {}): CompiledRegex {
  const key = `${mode}:${flags.ignoreCase ? 'i' : ''}${flags.dotAll ? 's' : ''}:${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const translated = translatePythonRegex(pattern, flags);
  const head = mode === 'match' ? `${translated.flags}\\A(?:` : translated.flags;
  const source = `${head}${translated.body}${mode === 'match' ? ')' : ''}`;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) {
      const at = error.input === null ? -1 : source.indexOf(error.input, head.length);
      const position = originalPosition(pattern, translated, Math.max(0, at - head.length));
      const limit = error.getDescription() === 'invalid repeat count' ? ' (RE2 repeats at most 1000 times)' : '';
      throw new PythonRegexSyntax(`${error.getDescription()}${limit}`, position);
    }
    if (error instanceof RE2JSException) throw new PythonRegexSyntax(error.message, 0);
    throw error;
  }
  const compiled = { re, programSize: re.programSize() };
  if (cache.size >= REGEX_CACHE_MAX) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** Whether `compiled` finds a match in `value`, in time linear in the value's length. */
export function regexTest(compiled: CompiledRegex, value: string): boolean {
  return compiled.re.test(value);
}
