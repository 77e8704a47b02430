/** A plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Structural equality of JSON values: numbers by value, strings and booleans strictly (`true` is
 * not `1`, `"1"` is not `1`), arrays element-wise, objects key-wise regardless of key order.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The JSON type of a value, without the value: `string`, `integer`, `number`, `boolean`, `array`,
 * `object`, `null`, or `nothing` for undefined. What an error message may say of a secret.
 */
export function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A short, bounded description of a value for error messages: `string "abc"`, `number 3`, `array`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${describeType(value)} ${value}`;
  return describeType(value);
}

/**
 * Why `text` failed `JSON.parse`, by position and length only. V8's own message quotes the start
 * of its input (`Unexpected token 'h', "hunter2…" is not valid JSON`), and the input may be
 * secret: a sealed parameters document, an action's result.
 * @example describeJsonSyntaxError(error, '{"a": hunter2}') // 'is not valid JSON (14 characters)'
 */
export function describeJsonSyntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const size = `${text.length} character${text.length === 1 ? '' : 's'}`;
  if (text.trim() === '') return `is empty (${size})`;
  if (/Unexpected end of JSON input/.test(message)) return `ends before its JSON value does (${size})`;
  const position = /\bat position (\d+)/.exec(message)?.[1];
  return position === undefined ? `is not valid JSON (${size})` : `is not valid JSON at position ${position} (of ${size})`;
}
