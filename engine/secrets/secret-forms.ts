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

/**
 * Python's `urllib.parse.quote` (safe `/` by default, and with `safe=''`) and `quote_plus` (spaces
 * as `+`): unlike encodeURIComponent they encode `!'()*`, and `quote` keeps `/`. Upper-case hex as
 * Python writes it.
 */
function pythonQuoted(bytes: Buffer): string[] {
  const quote = (safe: string, plus: boolean): string => {
    let out = '';
    for (const byte of bytes) {
      const ch = String.fromCharCode(byte);
      if (/[A-Za-z0-9_.~-]/.test(ch) || (byte < 0x80 && safe.includes(ch))) out += ch;
      else if (plus && ch === ' ') out += '+';
      else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  };
  return [quote('/', false), quote('', false), quote('', true), quote('/', true)];
}

/**
 * Hex with a separator between bytes (`de:ad:be:ef`, `de ad`, `de-ad`), both cases. Not `\xde\xad`:
 * four characters a byte would make a stream masker hold back four times the secret's length.
 */
function separatedHex(bytes: Buffer): string[] {
  const pairs = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
  const forms = [':', ' ', '-'].map((sep) => pairs.join(sep));
  return [...forms, ...forms.map((f) => f.toUpperCase())];
}

/**
 * JSON escapes other encoders write: `\/` for `/` (PHP, some Java and Ruby encoders), `\u00xx`
 * for `<`, `>`, `&` and `'` (Go, HTML-safe encoders), and every character but letters and digits
 * as `\u00xx` (the most defensive encoders), lower- and upper-case hex.
 */
function jsonEscapeVariants(value: string): string[] {
  const plain = JSON.stringify(value).slice(1, -1);
  const unicode = (re: RegExp, upper: boolean): string =>
    plain.replace(re, (ch) => {
      const hex = ch.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  const everyChar = (upper: boolean): string => {
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const ch = value.charAt(i);
      const hex = value.charCodeAt(i).toString(16).padStart(4, '0');
      out += /[A-Za-z0-9]/.test(ch) ? ch : `\\u${upper ? hex.toUpperCase() : hex}`;
    }
    return out;
  };
  return [plain.replace(/\//g, '\\/'), jsonAsciiEscaped(value).replace(/\//g, '\\/'), unicode(/[<>&']/g, false), unicode(/[<>&']/g, true), everyChar(false), everyChar(true)];
}

/** Base64 of the value alone wrapped at 76 columns, as MIME, `base64` and Python's `encodebytes` write it. */
function wrappedBase64(bytes: Buffer): string[] {
  const whole = bytes.toString('base64');
  if (whole.length <= 76) return [];
  const lines = whole.match(/.{1,76}/g) ?? [];
  return [lines.join('\n'), lines.join('\r\n')];
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
 * Every form of `value` to mask, distinct, longest first: JSON escapes (including `\/` and
 * `\u00xx` variants), URL encodings (JavaScript's, forms', Python's `quote`/`quote_plus`), base64
 * at every alignment and wrapped at 76 columns, hex plain and with separators, each for the NFC
 * and NFD forms of the value too. The value itself is always one; an
 * encoded form shorter than MIN_ENCODED_FORM_LENGTH is left out (it would match unrelated text).
 * @example secretForms('p@ss word') // ['cEBzcyB3b3Jk', …, 'p%40ss%20word', 'p@ss word', …]
 */
export function secretForms(value: string): string[] {
  const distinct = new Set<string>();
  // The same text in its other Unicode normalization (a macOS file name, a form post) is the same
  // secret: é as one code point (NFC) or as e + combining accent (NFD).
  for (const text of new Set([value, value.normalize('NFC'), value.normalize('NFD')])) {
    const bytes = Buffer.from(text, 'utf8');
    const encoded = [
      JSON.stringify(text).slice(1, -1),
      jsonAsciiEscaped(text),
      ...jsonEscapeVariants(text),
      ...urlEncoded(text),
      ...pythonQuoted(bytes),
      ...base64Forms(bytes),
      ...wrappedBase64(bytes),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      ...separatedHex(bytes),
    ].filter((f) => f.length >= MIN_ENCODED_FORM_LENGTH);
    for (const form of [text, ...encoded]) if (form.length > 0) distinct.add(form);
  }
  return [...distinct].sort((a, b) => b.length - a.length);
}
