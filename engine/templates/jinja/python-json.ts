/** Python's json.dumps, as st2's to_json_string and jinja2's tojson call it. */
import { typeError } from './jinja-errors.ts';
import { floatRepr } from './python-str.ts';
import { PyFloat, Undefined, isDict, typeName } from './values.ts';

/** json.dumps keyword arguments. */
export interface DumpOptions {
  indent?: number | string | null;
  sortKeys?: boolean;
  /** [item separator, key separator]; Python's default is [', ', ': '], or [',', ': '] with an indent. */
  separators?: [string, string] | null;
  ensureAscii?: boolean;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A JSON string literal as Python writes it (non-ASCII as \uXXXX when ensureAscii). */
export function jsonString(text: string, ensureAscii = true): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** json.dumps(value, ...). Floats print as Python does (`2.0`, `1e+20`); tuples are arrays. */
export function pyJsonDumps(value: unknown, options: DumpOptions = {}): string {
  const indent = options.indent === null || options.indent === undefined ? undefined : typeof options.indent === 'number' ? ' '.repeat(options.indent) : options.indent;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const ensureAscii = options.ensureAscii ?? true;
  const write = (v: unknown, depth: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return Number.isInteger(v) ? String(v) : floatRepr(v);
    }
    if (v instanceof PyFloat) return floatRepr(v.value);
    const open = (items: string[], left: string, right: string): string => {
      if (items.length === 0) return left + right;
      if (indent === undefined) return left + items.join(itemSep) + right;
      const pad = `\n${indent.repeat(depth + 1)}`;
      return `${left}${pad}${items.join(itemSep + pad)}\n${indent.repeat(depth)}${right}`;
    };
    if (Array.isArray(v)) return open(v.map((item) => write(item, depth + 1)), '[', ']');
    if (isDict(v)) {
      const keys = Object.keys(v);
      if (options.sortKeys) keys.sort();
      return open(keys.map((k) => `${jsonString(k, ensureAscii)}${keySep}${write(v[k], depth + 1)}`), '{', '}');
    }
    if (v instanceof Undefined && v.mode === 'strict') throw v.fail();
    throw typeError(`Object of type ${typeName(v)} is not JSON serializable`);
  };
  return write(value, 0);
}

/**
 * JSON.parse that keeps Python's view of numbers: `2.0` stays a float (prints `2.0`).
 * Relies on JSON.parse's source text access (Node 22).
 */
export function parseJsonPython(text: string): unknown {
  return JSON.parse(text, function revive(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && Number.isInteger(value) && context?.source !== undefined && /[.eE]/.test(context.source)) {
      return new PyFloat(value);
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}
