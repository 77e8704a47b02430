import { RulesError } from './errors.ts';

// st2's regex operators use Python's `re`; Attune matches with RE2 (linear time). This module
// rewrites a Python pattern into RE2 syntax with Python's meaning where RE2 can express it, and
// refuses, by position, what RE2 cannot run: backreferences, lookaround, conditionals, atomic groups.

/** Python's regex flags an operator applies (st2: `iregex` IGNORECASE, `matchregex` DOTALL). */
export interface PythonRegexFlags {
  ignoreCase?: boolean;
  dotAll?: boolean;
}

/** A Python pattern rewritten for RE2: `flags` is RE2's inline flag group (may be ''). */
export interface TranslatedRegex {
  flags: string;
  body: string;
  /** For each UTF-16 unit of `body`, the index of the pattern's character it came from. */
  origin: number[];
}

/** Why a pattern cannot be used, at `position` (a code point index into the pattern, as Python counts). */
export class PythonRegexSyntax extends RulesError {
  override name = 'PythonRegexSyntax';
  override readonly code: string = 'invalid_regex';
  readonly position: number;
  constructor(reason: string, position: number) {
    super(`${reason} at position ${position}`);
    this.position = position;
  }
}

// Python 3's \d, \w and \s are Unicode-aware; RE2's are ASCII. These sets give Python's meaning
// (\s: the characters str.isspace() accepts).
const DIGIT = '\\p{Nd}';
const WORD = '\\p{L}\\p{N}_';
const SPACE = '\\t-\\r\\x{1c}-\\x{20}\\x{85}\\p{Z}';
const HEX = /^[0-9a-fA-F]+$/;
const OCTAL = /[0-7]/;
// RE2 accepts a backslash before ASCII punctuation only; other literals are written as \x{…}.
const PUNCTUATION = /[!-/:-@[-`{-~]/;

const CONTROL = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 } as const;
const hexOf = (code: number) => `\\x{${code.toString(16)}}`;
const literal = (code: number): string => {
  const c = String.fromCodePoint(code);
  if (/[A-Za-z0-9]/.test(c)) return c;
  return code < 0x80 && PUNCTUATION.test(c) ? `\\${c}` : hexOf(code);
};

class Translator {
  readonly #src: string;
  #i = 0;
  #out = '';
  #origin: number[] = [];
  readonly #groups: { at: number; multiline: boolean; verbose: boolean; ascii: boolean }[] = [];
  #multiline = false;
  #verbose = false;
  #ascii = false;
  #global = '';
  #started = false;

  constructor(source: string) {
    this.#src = source;
  }

  /** Code point index of a UTF-16 index, the position Python reports. */
  position(unit: number): number {
    return Array.from(this.#src.slice(0, unit)).length;
  }

  #fail(reason: string, at: number): never {
    throw new PythonRegexSyntax(reason, this.position(at));
  }

  #emit(text: string, at: number): void {
    this.#out += text;
    for (let k = 0; k < text.length; k++) this.#origin.push(at);
    this.#started = true;
  }

  #peek(offset = 0): string | undefined {
    return this.#src[this.#i + offset];
  }

  #codeAt(i: number): number {
    return this.#src.codePointAt(i) as number;
  }

  run(flags: PythonRegexFlags): TranslatedRegex {
    while (this.#i < this.#src.length) this.#step();
    const open = this.#groups.at(-1);
    if (open) this.#fail('missing ), unterminated subpattern', open.at);
    let global = this.#global;
    if (flags.ignoreCase && !global.includes('i')) global += 'i';
    if (this.#multiline) global += 'm';
    if (flags.dotAll && !global.includes('s')) global += 's';
    return { flags: global === '' ? '' : `(?${global})`, body: this.#out, origin: this.#origin };
  }

  #step(): void {
    const at = this.#i;
    const c = this.#src[this.#i++] as string;
    if (this.#verbose && /\s/.test(c)) return;
    if (this.#verbose && c === '#') {
      while (this.#i < this.#src.length && this.#src[this.#i] !== '\n') this.#i++;
      return;
    }
    switch (c) {
      case '\\':
        return this.#emit(this.#escape(at, false), at);
      case '[':
        return this.#set(at);
      case '(':
        return this.#open(at);
      case ')': {
        const group = this.#groups.pop();
        if (!group) this.#fail('unbalanced parenthesis', at);
        ({ multiline: this.#multiline, verbose: this.#verbose, ascii: this.#ascii } = group);
        return this.#emit(')', at);
      }
      case '$':
        return this.#emit(this.#multiline ? '$' : '(?:\\n?\\z)', at);
      case '{':
        return this.#brace(at);
      default: {
        const code = this.#codeAt(at);
        if (code > 0xffff) this.#i++;
        return this.#emit('^.*+?|}]'.includes(c) ? c : literal(code), at);
      }
    }
  }

  /** `{m,n}` is a repeat (`{,n}` from 0, which RE2 would read as text); any other `{` is a literal. */
  #brace(at: number): void {
    const repeat = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.#src.slice(at));
    if (!repeat || (repeat[1] === '' && repeat[2] === undefined)) return this.#emit('\\{', at);
    this.#i = at + repeat[0].length;
    const [, min, comma, max] = repeat;
    this.#emit(`{${min === '' ? '0' : min}${comma ?? ''}${max ?? ''}}`, at);
  }

  #open(at: number): void {
    const scope = { at, multiline: this.#multiline, verbose: this.#verbose, ascii: this.#ascii };
    if (this.#peek() !== '?') {
      this.#groups.push(scope);
      return this.#emit('(', at);
    }
    const rest = this.#src.slice(this.#i + 1);
    if (rest.startsWith(':')) {
      this.#i += 2;
      this.#groups.push(scope);
      return this.#emit('(?:', at);
    }
    const named = /^P<([^>]*)>/.exec(rest);
    if (named) {
      this.#i += 1 + named[0].length;
      this.#groups.push(scope);
      return this.#emit(`(?P<${named[1]}>`, at);
    }
    if (rest.startsWith('P=')) this.#fail('backreferences ((?P=name)) are not supported by RE2', at);
    if (rest.startsWith('=') || rest.startsWith('!')) this.#fail('lookahead ((?=…), (?!…)) is not supported by RE2', at);
    if (rest.startsWith('<=') || rest.startsWith('<!')) this.#fail('lookbehind ((?<=…), (?<!…)) is not supported by RE2', at);
    if (rest.startsWith('(')) this.#fail('conditional groups ((?(…)…)) are not supported by RE2', at);
    if (rest.startsWith('>')) this.#fail('atomic groups ((?>…)) are not supported by RE2', at);
    if (rest.startsWith('#')) {
      const end = this.#src.indexOf(')', this.#i);
      if (end < 0) this.#fail('missing ), unterminated comment', at);
      this.#i = end + 1;
      return;
    }
    const flagged = /^([aiLmsux]*)(?:-([imsx]*))?([:)])/.exec(rest);
    if (!flagged || (flagged[1] === '' && flagged[2] === undefined)) this.#fail('unknown extension ?' + (rest[0] ?? ''), at);
    const [whole, on = '', off = '', end] = flagged;
    if (on.includes('L')) this.#fail('the L (locale) flag is not allowed with a str pattern', at);
    this.#i += 1 + whole.length;
    const re2 = (set: string) => [...set].filter((f) => 'ims'.includes(f)).join('');
    if (end === ')') {
      if (off !== '' || flagged[2] !== undefined) this.#fail('missing :', at);
      if (this.#started) this.#fail('global flags not at the start of the expression', at);
      this.#global += re2(on).replace('m', '');
      if (on.includes('m')) this.#multiline = true;
      if (on.includes('x')) this.#verbose = true;
      if (on.includes('a')) this.#ascii = true;
      return;
    }
    this.#groups.push(scope);
    if (on.includes('m')) this.#multiline = true;
    if (off.includes('m')) this.#multiline = false;
    if (on.includes('x')) this.#verbose = true;
    if (off.includes('x')) this.#verbose = false;
    if (on.includes('a')) this.#ascii = true;
    const set = `${re2(on)}${off === '' ? '' : `-${re2(off)}`}`.replace(/-$/, '');
    this.#emit(set === '' ? '(?:' : `(?${set}:`, at);
  }

  /** An escape after `\` (at `at`); in a set, `\b` is a backspace and only code points are allowed. */
  #escape(at: number, inSet: boolean): string {
    const c = this.#src[this.#i];
    if (c === undefined) this.#fail('bad escape (end of pattern)', at);
    this.#i++;
    const unicode = !this.#ascii;
    switch (c) {
      case 'd':
        return unicode ? DIGIT : '\\d';
      case 'D':
        return unicode ? '\\P{Nd}' : '\\D';
      case 'w':
        return unicode ? (inSet ? WORD : `[${WORD}]`) : '\\w';
      case 's':
        return unicode ? (inSet ? SPACE : `[${SPACE}]`) : '\\s';
      // RE2 has no complement of a Unicode union inside a set: there \W and \S stay ASCII.
      case 'W':
        return unicode && !inSet ? `[^${WORD}]` : '\\W';
      case 'S':
        return unicode && !inSet ? `[^${SPACE}]` : '\\S';
      case 'b':
        return inSet ? hexOf(8) : '\\b';
      case 'B':
      case 'A':
        if (inSet) this.#fail(`bad escape \\${c}`, at);
        return `\\${c}`;
      case 'Z':
        if (inSet) this.#fail('bad escape \\Z', at);
        return '\\z';
      case 'a':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
        return hexOf(CONTROL[c]);
      case 'x':
        return hexOf(this.#hex(at, 2, 'x'));
      case 'u':
        return hexOf(this.#hex(at, 4, 'u'));
      case 'U': {
        const code = this.#hex(at, 8, 'U');
        if (code > 0x10ffff) this.#fail(`bad escape \\U${this.#src.slice(at + 2, at + 10)}`, at);
        return hexOf(code);
      }
      case 'N':
        return this.#fail('named Unicode escapes (\\N{…}) are not supported', at);
    }
    if (c >= '0' && c <= '9') return hexOf(this.#number(at, c, inSet));
    if (/[A-Za-z]/.test(c)) this.#fail(`bad escape \\${c}`, at);
    const code = this.#codeAt(this.#i - 1);
    if (code > 0xffff) this.#i++;
    return literal(code);
  }

  #hex(at: number, digits: number, letter: string): number {
    const text = this.#src.slice(this.#i, this.#i + digits);
    if (text.length < digits || !HEX.test(text)) this.#fail(`incomplete escape \\${letter}${text.replace(/[^0-9a-fA-F].*$/, '')}`, at);
    this.#i += digits;
    return parseInt(text, 16);
  }

  /** `\0`, `\0oo` and `\ooo` are octal code points, as in Python; `\1`…`\99` are backreferences. */
  #number(at: number, first: string, inSet: boolean): number {
    const next = this.#src.slice(this.#i, this.#i + 2);
    if (first === '0') {
      const digits = /^[0-7]{0,2}/.exec(next)![0];
      this.#i += digits.length;
      return parseInt(`0${digits}`, 8);
    }
    if (inSet && OCTAL.test(first)) {
      const digits = /^[0-7]{0,2}/.exec(next)![0];
      const value = parseInt(first + digits, 8);
      if (value > 0o377) this.#fail(`octal escape value \\${first}${digits} outside of range 0-0o377`, at);
      this.#i += digits.length;
      return value;
    }
    if (OCTAL.test(first) && next.length === 2 && OCTAL.test(next[0]!) && OCTAL.test(next[1]!)) {
      const value = parseInt(first + next, 8);
      if (value > 0o377) this.#fail(`octal escape value \\${first}${next} outside of range 0-0o377`, at);
      this.#i += 2;
      return value;
    }
    if (inSet) this.#fail(`bad escape \\${first}`, at);
    return this.#fail(`backreferences (\\${first}) are not supported by RE2`, at);
  }

  /** A `[...]` set as Python reads it: `]` first is a literal, `[` is a literal, ranges by code point. */
  #set(at: number): void {
    let out = '[';
    if (this.#peek() === '^') {
      out += '^';
      this.#i++;
    }
    const first = this.#i;
    for (;;) {
      if (this.#i >= this.#src.length) this.#fail('unterminated character set', at);
      if (this.#src[this.#i] === ']' && this.#i !== first) break;
      const [lo, loText] = this.#setItem();
      if (this.#src[this.#i] === '-' && this.#src[this.#i + 1] !== ']' && this.#i + 1 < this.#src.length) {
        const dash = this.#i++;
        const [hi, hiText] = this.#setItem();
        if (lo === undefined || hi === undefined) this.#fail(`bad character range ${this.#src.slice(dash - 1, this.#i)}`, dash - 1);
        if (hi < lo) this.#fail(`bad character range ${this.#src.slice(dash - 1, this.#i)}`, dash - 1);
        out += `${loText}-${hiText}`;
      } else out += loText;
    }
    this.#i++;
    this.#emit(`${out}]`, at);
  }

  /** One member of a set: its code point (undefined for a class such as `\d`) and its RE2 text. */
  #setItem(): [number | undefined, string] {
    const at = this.#i;
    if (this.#src[this.#i] === '\\') {
      this.#i++;
      const text = this.#escape(at, true);
      const single = /^\\x\{([0-9a-f]+)\}$/.exec(text);
      if (single) return [parseInt(single[1]!, 16), text];
      const punct = /^\\(.)$/.exec(text);
      if (punct && PUNCTUATION.test(punct[1]!)) return [punct[1]!.codePointAt(0)!, text];
      return [/^[A-Za-z0-9]$/.test(text) ? text.codePointAt(0) : undefined, text];
    }
    const code = this.#codeAt(this.#i);
    this.#i += code > 0xffff ? 2 : 1;
    return [code, literal(code)];
  }
}

/**
 * Rewrites a Python `re` pattern for RE2 with Python's meaning: `$` also before a final newline,
 * `\Z` as `\z`, Unicode `\d \w \s`, `\uXXXX`, octal escapes, `{,n}`, `(?#…)`, verbose `(?x)`.
 * What keeps a difference: `\b` and, inside a set, `\W` and `\S` are ASCII in RE2.
 *
 * @example translatePythonRegex('^(?P<id>\\d+)$').body // '^(?P<id>\\p{Nd}+)(?:\\n?\\z)'
 * @throws PythonRegexSyntax naming the position of what RE2 cannot run or Python would refuse.
 */
export function translatePythonRegex(pattern: string, flags: PythonRegexFlags = {}): TranslatedRegex {
  return new Translator(pattern).run(flags);
}

/** The position (code points, as Python counts) in `pattern` that produced `body[unit]`. */
export function originalPosition(pattern: string, translated: TranslatedRegex, unit: number): number {
  const source = translated.origin[Math.min(unit, translated.origin.length - 1)] ?? 0;
  return Array.from(pattern.slice(0, source)).length;
}
