import { YaqlSyntaxError } from './errors.ts';
import type { YaqlLocation } from './errors.ts';

/** Kinds of token, after yaql 1.1's lexer (`yaql/language/lexer.py`). */
export type TokenType =
  | 'number' // 12, 1.5 (no exponent, no leading dot)
  | 'string' // 'a', "a", `a`
  | 'keyword' // a bare identifier: evaluates to its own name as a string
  | 'func' // an identifier immediately followed by '(' (the '(' is part of the token)
  | 'dollar' // $, $name, $1
  | 'true'
  | 'false'
  | 'null'
  | 'op' // an operator symbol or word: . ?. + - * / mod > < >= <= != = in not and or -> =~ !~ =>
  | 'punct' // ( ) [ ] { } ,
  | 'error' // where lexing stopped, when errors are deferred to the parser
  | 'end';

export interface Token {
  type: TokenType;
  /** Operator or punctuation symbol, identifier, variable name ($ included) or decoded string. */
  text: string;
  /** For numbers: the value, and whether it was written with a decimal point. */
  value?: number;
  isFloat?: boolean;
  /** Offset of the token's first character in the expression. */
  pos: number;
  /** For an `error` token: the lexical error to raise when the parser reaches it. */
  error?: YaqlSyntaxError;
}

/** Words the lexer turns into operators rather than keywords. */
const WORD_OPERATORS = new Set(['mod', 'in', 'not', 'and', 'or']);
/** Symbol operators, longest first so `->` wins over `-` and `?.` over nothing. */
const SYMBOL_OPERATORS = ['?.', '->', '=~', '!~', '>=', '<=', '!=', '=>', '.', '+', '-', '*', '/', '>', '<', '='];
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',']);
const BLANKS = new Set([' ', '\t', '\r', '\n']);

// Python's `\w` over str: letters, every kind of number, and the underscore.
const WORD_CHAR = /[\p{L}\p{N}_]/u;
// Python's `[^\W\d]`: a word character that is not a decimal digit.
const IDENT_START = /[\p{L}\p{Nl}\p{No}_]/u;
const DIGIT = /[0-9]/;

function isWord(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/**
 * Splits an expression into tokens. Throws {@link YaqlSyntaxError} (a lexical error) at the first
 * character no token starts with, e.g. the `:` of `{"a": 1}` or an unterminated string.
 *
 * @param location what messages quote, and where the expression starts in it.
 * @param deferErrors end the tokens with an `error` token instead of throwing: yaql's parser pulls
 *   tokens one at a time, so a grammar error before the bad character is the one reported.
 */
export function tokenize(source: string, location: YaqlLocation = { expression: source, position: 0 }, deferErrors = false): Token[] {
  const tokens: Token[] = [];
  try {
    return scan(source, location, tokens);
  } catch (error) {
    if (!deferErrors || !(error instanceof YaqlSyntaxError)) throw error;
    tokens.push({ type: 'error', text: '', pos: error.position - location.position, error });
    return tokens;
  }
}

function scan(source: string, location: YaqlLocation, tokens: Token[]): Token[] {
  const base = location.position;
  const fail = (reason: string, at: number): never => {
    throw new YaqlSyntaxError(reason, 'YaqlLexicalException', { expression: location.expression, position: base + at });
  };
  const chars = Array.from(source); // by code point, so astral letters are one character
  // Offsets in messages are in UTF-16 units of the source, as JS strings index them.
  const offsets: number[] = [];
  let utf16 = 0;
  for (const ch of chars) {
    offsets.push(utf16);
    utf16 += ch.length;
  }
  offsets.push(utf16);

  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] as string;
    const pos = offsets[i] as number;
    if (BLANKS.has(ch)) {
      i += 1;
      continue;
    }
    if (ch === '$') {
      let j = i + 1;
      while (isWord(chars[j])) j += 1;
      tokens.push({ type: 'dollar', text: chars.slice(i, j).join(''), pos });
      i = j;
      continue;
    }
    if (DIGIT.test(ch)) {
      const number = readNumber(chars, i);
      if (number === undefined) fail(`illegal character '${ch}'`, pos);
      else {
        tokens.push({ type: 'number', text: number.text, value: Number(number.text), isFloat: number.text.includes('.'), pos });
        i += number.length;
      }
      continue;
    }
    if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (isWord(chars[j])) j += 1;
      const word = chars.slice(i, j).join('');
      if (chars[j] === '(') {
        tokens.push({ type: 'func', text: word, pos });
        i = j + 1;
        continue;
      }
      // yaql reserves names starting with two underscores for its own use (`__vars`).
      if (word.startsWith('__')) fail(`illegal character '_'`, pos);
      if (WORD_OPERATORS.has(word)) tokens.push({ type: 'op', text: word, pos });
      else if (word === 'true' || word === 'false' || word === 'null') tokens.push({ type: word, text: word, pos });
      else tokens.push({ type: 'keyword', text: word, pos });
      i = j;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = findStringEnd(chars, i);
      if (end === undefined) fail(`illegal character '${ch}' (unterminated string)`, pos);
      else {
        const raw = chars.slice(i + 1, end).join('');
        const text = ch === '`' ? raw.replaceAll('\\`', '`') : decodeEscapes(raw, (reason, at) => fail(reason, pos + 1 + at));
        tokens.push({ type: 'string', text, pos });
        i = end + 1;
      }
      continue;
    }
    const rest2 = ch + (chars[i + 1] ?? '');
    const symbol = SYMBOL_OPERATORS.find((op) => (op.length === 2 ? rest2 === op : ch === op));
    if (symbol !== undefined) {
      tokens.push({ type: 'op', text: symbol, pos });
      i += symbol.length;
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      tokens.push({ type: 'punct', text: ch, pos });
      i += 1;
      continue;
    }
    fail(`illegal character '${ch}'`, pos);
  }
  tokens.push({ type: 'end', text: '', pos: utf16 });
  return tokens;
}

/** `\d+(\.?\d+)?\b` at `start`: the longest form followed by a word boundary, else none. */
function readNumber(chars: string[], start: number): { text: string; length: number } | undefined {
  let j = start;
  while (j < chars.length && DIGIT.test(chars[j] as string)) j += 1;
  const intEnd = j;
  if (chars[j] === '.' && DIGIT.test(chars[j + 1] ?? '')) {
    let k = j + 1;
    while (k < chars.length && DIGIT.test(chars[k] as string)) k += 1;
    if (!isWord(chars[k])) return { text: chars.slice(start, k).join(''), length: k - start };
  }
  if (!isWord(chars[intEnd])) return { text: chars.slice(start, intEnd).join(''), length: intEnd - start };
  return undefined;
}

/** Index of the closing quote; a backslash escapes any character but a newline, as `\\.` does. */
function findStringEnd(chars: string[], start: number): number | undefined {
  const quoteChar = chars[start];
  let j = start + 1;
  while (j < chars.length) {
    const c = chars[j];
    if (c === quoteChar) return j;
    if (c === '\\') {
      if (j + 1 >= chars.length || chars[j + 1] === '\n') return undefined;
      j += 2;
      continue;
    }
    j += 1;
  }
  return undefined;
}

const SINGLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Python's escapes as yaql decodes them (`\n`, `\x41`, `\u00e9`, `\U0001F600`, octal `\101`);
 * a backslash before anything else stays, so `'\d+'` is the regex `\d+`.
 */
function decodeEscapes(raw: string, fail: (reason: string, at: number) => never): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] as string;
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      i += 1;
      continue;
    }
    const next = raw[i + 1] as string;
    const single = SINGLE_ESCAPES[next];
    if (single !== undefined) {
      out += single;
      i += 2;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0 && i + 2 + hexLength <= raw.length) {
      const digits = raw.slice(i + 2, i + 2 + hexLength);
      const code = /^[0-9a-fA-F]+$/.test(digits) ? Number.parseInt(digits, 16) : Number.NaN;
      if (Number.isNaN(code) || code > 0x10ffff) fail(`invalid \\${next} escape`, i);
      out += String.fromCodePoint(code);
      i += 2 + hexLength;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(raw.slice(i + 1, i + 4));
    if (octal) {
      out += String.fromCodePoint(Number.parseInt(octal[0], 8));
      i += 1 + octal[0].length;
      continue;
    }
    if (next === 'N' && raw[i + 2] === '{') fail('\\N{…} escapes are not supported', i);
    out += c;
    i += 1;
  }
  return out;
}
