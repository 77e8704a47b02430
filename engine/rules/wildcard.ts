import { WILDCARD_MAX_STEPS } from './defaults.ts';

/** One position of a wildcard pattern: a code point, `?` (any one), or a `[set]` of code points. */
type Token =
  | { kind: 'char'; code: number }
  | { kind: 'any' }
  | { kind: 'set'; negate: boolean; singles: Set<number>; ranges: [number, number][]; empty: boolean };

/**
 * A compiled wildcard pattern: the runs of fixed-width tokens between its `*`s. Without a `*`
 * there is one run, which must cover the whole value.
 */
export interface Glob {
  runs: Token[][];
  /** The longest run: the matcher's work is bounded by (value length + pattern length) × this. */
  longestRun: number;
}

/** The answer of {@link matchGlob}, with the comparisons it made. */
export interface GlobMatch {
  matched: boolean;
  steps: number;
  /** Set when the work bound was reached before an answer: the value is then not matched. */
  exhausted?: true;
}

const SURROGATE = /[\ud800-\udfff]/;

/** The code points of `text` (Python's characters), in a typed array for fast reads. */
function codePoints(text: string): Uint16Array | Uint32Array {
  if (!SURROGATE.test(text)) {
    const units = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
    return units;
  }
  const points: number[] = [];
  for (const c of text) points.push(c.codePointAt(0)!);
  return Uint32Array.from(points);
}
const DASH = 0x2d;
const BANG = 0x21;
const CLOSE = 0x5d;

function globOf(runs: Token[][]): Glob {
  return { runs, longestRun: Math.max(0, ...runs.map((r) => r.length)) };
}

/**
 * A `[...]` body as Python's fnmatch reads it: a leading `!` negates; `-` between two characters
 * is a range, elsewhere a literal; a range whose ends are reversed is dropped with them; a
 * backslash is a literal.
 */
function setOf(body: number[]): Token {
  let chunks: number[][];
  if (!body.includes(DASH)) chunks = [body];
  else {
    chunks = [];
    let start = 0;
    let k = body[0] === BANG ? 2 : 1;
    for (;;) {
      k = body.indexOf(DASH, k);
      if (k < 0) break;
      chunks.push(body.slice(start, k));
      start = k + 1;
      k += 3;
    }
    const rest = body.slice(start);
    if (rest.length > 0) chunks.push(rest);
    else chunks[chunks.length - 1]!.push(DASH);
    for (let k2 = chunks.length - 1; k2 > 0; k2--) {
      const before = chunks[k2 - 1]!;
      const after = chunks[k2]!;
      if (before[before.length - 1]! > after[0]!) {
        chunks[k2 - 1] = [...before.slice(0, -1), ...after.slice(1)];
        chunks.splice(k2, 1);
      }
    }
  }
  const flat = chunks.flat();
  if (flat.length === 0) return { kind: 'set', negate: false, singles: new Set(), ranges: [], empty: true };
  if (flat.length === 1 && flat[0] === BANG) return { kind: 'any' };
  const negate = chunks[0]![0] === BANG;
  const singles = new Set<number>();
  const ranges: [number, number][] = [];
  chunks.forEach((chunk, i) => {
    const from = i === 0 ? (negate ? 1 : 0) : 1;
    const to = i < chunks.length - 1 ? chunk.length - 1 : chunk.length;
    for (let j = from; j < to; j++) singles.add(chunk[j]!);
    if (i < chunks.length - 1) ranges.push([chunk[chunk.length - 1]!, chunks[i + 1]![0]!]);
  });
  return { kind: 'set', negate, singles, ranges, empty: false };
}

/**
 * Compiles a pattern of Python's `fnmatch` (what st2's `matchwildcard` uses): `*` any run, `?` any
 * one character, `[seq]` / `[!seq]` a set or its complement, everything else literal and case
 * sensitive (as `fnmatch.fnmatch` on Linux). A `[` without its `]` is a literal. Never fails.
 */
export function compileFnmatch(pattern: string): Glob {
  const pat = Array.from(codePoints(pattern));
  const runs: Token[][] = [[]];
  for (let i = 0; i < pat.length; ) {
    const c = pat[i++]!;
    if (c === 0x2a) runs.push([]);
    else if (c === 0x3f) runs[runs.length - 1]!.push({ kind: 'any' });
    else if (c === 0x5b) {
      let j = i;
      if (pat[j] === BANG) j++;
      if (pat[j] === CLOSE) j++;
      while (j < pat.length && pat[j] !== CLOSE) j++;
      if (j >= pat.length) runs[runs.length - 1]!.push({ kind: 'char', code: c });
      else {
        runs[runs.length - 1]!.push(setOf(pat.slice(i, j)));
        i = j + 1;
      }
    } else runs[runs.length - 1]!.push({ kind: 'char', code: c });
  }
  return globOf(runs);
}

/** Compiles an EventBridge `wildcard` operand: `*` any run, `\*` a literal star, the rest literal. */
export function compileEventBridgeWildcard(pattern: string): Glob {
  const pat = Array.from(codePoints(pattern));
  const runs: Token[][] = [[]];
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === 0x5c && pat[i + 1] === 0x2a) runs[runs.length - 1]!.push({ kind: 'char', code: pat[++i]! });
    else if (c === 0x2a) runs.push([]);
    else runs[runs.length - 1]!.push({ kind: 'char', code: c });
  }
  return globOf(runs);
}

function accepts(token: Token, code: number): boolean {
  switch (token.kind) {
    case 'char':
      return token.code === code;
    case 'any':
      return true;
    case 'set': {
      if (token.empty) return false;
      const inside = token.singles.has(code) || token.ranges.some(([lo, hi]) => lo <= code && code <= hi);
      return inside !== token.negate;
    }
  }
}

/**
 * Matches a whole value against a compiled pattern in time linear in the value: each run between
 * two `*` is placed at its leftmost fit after the previous one (the first run at the start, the
 * last at the end), which finds a match whenever there is one; no position is tried twice for a
 * run, so the work is at most (value + pattern length) × the longest run, and never more than
 * `maxSteps` comparisons.
 *
 * @example matchGlob(compileFnmatch('web-??.*.com'), 'web-01.example.com').matched // true
 */
export function matchGlob(glob: Glob, value: string, maxSteps = WILDCARD_MAX_STEPS): GlobMatch {
  const text = codePoints(value);
  let steps = 0;
  let exhausted = false;
  const fits = (run: Token[], at: number): boolean => {
    for (let i = 0; i < run.length; i++) {
      if (++steps > maxSteps) {
        exhausted = true;
        return false;
      }
      if (!accepts(run[i]!, text[at + i]!)) return false;
    }
    return true;
  };
  const answer = (matched: boolean): GlobMatch => (exhausted ? { matched: false, steps, exhausted: true } : { matched, steps });
  const { runs } = glob;
  const first = runs[0]!;
  if (runs.length === 1) return answer(text.length === first.length && fits(first, 0));
  const last = runs[runs.length - 1]!;
  const lastAt = text.length - last.length;
  if (first.length > lastAt || !fits(first, 0)) return answer(false);
  let at = first.length;
  for (let r = 1; r < runs.length - 1; r++) {
    const run = runs[r]!;
    let found = -1;
    for (let p = at; p + run.length <= lastAt && !exhausted; p++) {
      if (fits(run, p)) {
        found = p;
        break;
      }
    }
    if (found < 0) return answer(false);
    at = found + run.length;
  }
  return answer(fits(last, lastAt));
}
