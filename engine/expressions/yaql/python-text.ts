import { YaqlLimitFault } from './errors.ts';
import { MAX_DATA_DEPTH } from './limits.ts';
import { floatRepr } from './convert.ts';
import { isPyList, MappingPair, PyFloat, ScopeRef, YaqlDict, YaqlIterator, YaqlRegex } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * How containers print: `yaql` as yaql's own `str()` sees them inside an expression (input lists
 * are tuples: `(1, 2)`), `output` as Orquesta prints a result into text, after yaql converted it
 * (tuples and iterators are lists: `[1, 2]`).
 */
export type TextMode = 'yaql' | 'output';

/** Python's `str()`: a string as it is, anything else as {@link pyRepr}. */
export function pyStr(value: YaqlValue, mode: TextMode): string {
  return typeof value === 'string' ? value : pyRepr(value, mode);
}

/** Python's `repr()`: `None`, `True`, `1.0`, `'it'`, `"it's"`, `[1, 'a']`, `(1,)`, `{'k': None}`. */
export function pyRepr(value: YaqlValue, mode: TextMode, depth = 0): string {
  if (depth > MAX_DATA_DEPTH) throw new YaqlLimitFault(`data nests deeper than ${MAX_DATA_DEPTH} levels`);
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : floatRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (typeof value === 'string') return reprString(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => pyRepr(item, mode, depth + 1));
    if (mode === 'output' || isPyList(value)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (value instanceof YaqlIterator) {
    // A Python iterator prints as `<map object at 0x…>`; its items say more and are stable.
    return `[${value.items.map((item) => pyRepr(item, mode, depth + 1)).join(', ')}]`;
  }
  if (value instanceof YaqlDict) {
    const items = value.items().map(([k, v]) => `${pyRepr(k, mode, depth + 1)}: ${pyRepr(v, mode, depth + 1)}`);
    return `{${items.join(', ')}}`;
  }
  if (value instanceof YaqlRegex) return `re.compile(${reprString(value.source)})`;
  if (value instanceof MappingPair) return '<MappingRule>';
  if (value instanceof ScopeRef) return '<Context>';
  return String(value);
}

// Python's str.isprintable(): not a control, format, surrogate, private-use, unassigned or
// separator character, the ASCII space excepted.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr of a str: single quotes unless the text has one and no double quote. */
export function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += escapeCode(code);
    else out += ch;
  }
  return out + quote;
}

function escapeCode(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** yaql's `str()`: `null`, `true` and `false` as YAQL writes them, anything else as Python's str(). */
export function yaqlStr(value: YaqlValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  return pyStr(value, 'yaql');
}
