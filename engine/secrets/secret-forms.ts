import { MIN_ENCODED_FORM_LENGTH } from './defaults.ts';

/**
 * The encodings of a secret value that output may carry it in. A masker masks each of them, so
 * `echo "$TOKEN" | base64`, `json.dumps(token)` or a URL with the token in its query string do not
 * leak it.
 */

/** `\uXXXX` for every character outside printable ASCII, as Python's `json.dumps` (ensure_ascii) writes. */
function jsonAsciiEscaped(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  let out = '';
  // By UTF-16 code unit: astral characters become their two surrogate escapes, as in Python.
  for (let i = 0; i < escaped.length; i++) {
    const code = escaped.charCodeAt(i);
    out += code > 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : escaped.charAt(i);
  }
  return out;
}

/** encodeURIComponent and its lowercase-hex twin; undefined for a lone surrogate it cannot encode. */
function urlEncoded(value: string): string[] {
  try {
    const upper = encodeURIComponent(value);
    const lower = upper.replace(/%[0-9A-F]{2}/g, (s) => s.toLowerCase());
    // application/x-www-form-urlencoded (HTML forms, URLSearchParams, Python's urlencode).
    const form = new URLSearchParams([['', value]]).toString().slice(1);
    return [upper, lower, form];
  } catch {
    return [];
  }
}

const toUrlSafe = (b64: string): string => b64.replace(/\+/g, '-').replace(/\//g, '_');

/**
 * Base64 of the value on its own (padded and not), and the characters that only the value decides
 * when it sits at each of the three byte alignments inside a larger encoded string (`user:password`
 * in a Basic auth header, the value followed by a newline, …). Standard and URL-safe alphabets.
 */
function base64Forms(bytes: Buffer): string[] {
  const whole = bytes.toString('base64');
  const forms = [whole, whole.replace(/=+$/, '')];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Character i holds bits [6i, 6i+6): keep those that lie wholly inside the value's bits.
    const first = Math.ceil((8 * offset) / 6);
    const last = Math.floor((8 * (offset + bytes.length)) / 6);
    forms.push(encoded.slice(first, last));
  }
  return [...forms, ...forms.map(toUrlSafe)];
}

/**
 * Every form of `value` to mask, distinct, longest first. The value itself is always one; an
 * encoded form shorter than MIN_ENCODED_FORM_LENGTH is left out (it would match unrelated text).
 * @example secretForms('p@ss word') // ['cEBzcyB3b3Jk', …, 'p%40ss%20word', 'p@ss word', …]
 */
export function secretForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const encoded = [
    JSON.stringify(value).slice(1, -1),
    jsonAsciiEscaped(value),
    ...urlEncoded(value),
    ...base64Forms(bytes),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ].filter((f) => f.length >= MIN_ENCODED_FORM_LENGTH);
  const distinct = new Set([value, ...encoded].filter((f) => f.length > 0));
  return [...distinct].sort((a, b) => b.length - a.length);
}
