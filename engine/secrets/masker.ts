import { SECRET_MASK } from '../packs/parameters.ts';
import { MIN_MASKED_SECRET_LENGTH } from './defaults.ts';
import { secretForms } from './secret-forms.ts';

const MASK = Buffer.from(SECRET_MASK, 'utf8');

/** Masks a byte stream chunk by chunk; a secret split across chunks is masked all the same. */
export interface StreamMasker {
  /**
   * Masks what can be decided so far and answers it; holds back at most `maxPatternLength - 1`
   * bytes, which might start a secret that the next chunk completes.
   */
  push(chunk: Uint8Array): Buffer;
  /** Masks and answers what was held back. The masker is spent afterwards. */
  end(): Buffer;
}

/**
 * The texts a masker must know to hide one secret value, whatever its JSON type: every string and
 * number leaf (numbers as written, `String(n)`), and the JSON form of the value and of each array
 * or object inside it, so neither the parts nor the whole survive in output. Object keys are
 * structure, not secrets; booleans and null are too common to mask. Answers each text once.
 * @example secretValuesOf({ user: 'ada', pins: [1234] }) // ['ada', '1234', '[1234]', '{"user":"ada","pins":[1234]}']
 */
export function secretValuesOf(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown, ancestors: Set<object>): void => {
    if (typeof v === 'string') found.add(v);
    else if (typeof v === 'number' || typeof v === 'bigint') found.add(String(v));
    else if (typeof v === 'object' && v !== null) {
      // A value that is not JSON (a cycle) has no JSON form to mask; its leaves still count.
      if (ancestors.has(v)) return;
      ancestors.add(v);
      for (const item of Array.isArray(v) ? v : Object.values(v)) visit(item, ancestors);
      ancestors.delete(v);
      try {
        const json = JSON.stringify(v);
        if (json !== undefined) found.add(json);
      } catch {
        // Not serializable: only the leaves are known.
      }
    }
  };
  visit(value, new Set());
  return [...found];
}

/** Where a scan stopped: how far the current masked run reaches into what follows. */
interface ScanState {
  /** Bytes at the start of the next buffer that a match already covers. */
  coverEnd: number;
  /** The output ends with a mask whose run continues into the next buffer's covered bytes. */
  inRun: boolean;
}

export interface MaskerOptions {
  /** Values shorter than this many characters are not masked; defaults to MIN_MASKED_SECRET_LENGTH. */
  minLength?: number;
}

/**
 * Replaces secret values, and their encoded forms (see secretForms: JSON-escaped, URL-encoded,
 * base64 at any alignment, hex), with `********`. Every byte covered by an occurrence of any form is
 * masked, overlaps included, and each run of covered bytes becomes one mask, so no part of an
 * overlapping secret survives. Works on bytes: binary output passes through untouched.
 *
 * Values shorter than `minLength` (4) are not masked: see MIN_MASKED_SECRET_LENGTH.
 * @example
 * const masker = Masker.fromSecrets({ token: 'hunter22' });
 * masker.maskText('token=hunter22'); // 'token=********'
 */
export class Masker {
  /** The longest form, in bytes; a stream masker holds back one byte less. 0 when nothing is masked. */
  readonly maxPatternLength: number;
  /** Forms by their first byte, longest first. Private: the patterns are the secrets. */
  readonly #byFirstByte: Array<Buffer[] | undefined> = new Array<Buffer[] | undefined>(256);

  constructor(values: Iterable<string>, options: MaskerOptions = {}) {
    const minLength = Math.max(1, options.minLength ?? MIN_MASKED_SECRET_LENGTH);
    const patterns = new Set<string>();
    for (const value of values) {
      if (value.length < minLength) continue;
      for (const form of secretForms(value)) patterns.add(form);
    }
    let max = 0;
    for (const pattern of patterns) {
      const bytes = Buffer.from(pattern, 'utf8');
      max = Math.max(max, bytes.length);
      const first = bytes[0] as number;
      (this.#byFirstByte[first] ??= []).push(bytes);
    }
    for (const list of this.#byFirstByte) list?.sort((a, b) => b.length - a.length);
    this.maxPatternLength = max;
  }

  /** A masker for the values of a resolved `secrets` map (or any list of values). */
  static fromSecrets(secrets: Readonly<Record<string, string>> | Iterable<string>, options?: MaskerOptions): Masker {
    const values = Symbol.iterator in secrets ? (secrets as Iterable<string>) : Object.values(secrets);
    return new Masker(values, options);
  }

  /** True when there is nothing to mask: every method answers its input unchanged. */
  get isEmpty(): boolean {
    return this.maxPatternLength === 0;
  }

  /** Masks a whole buffer. */
  maskBytes(input: Uint8Array): Buffer {
    const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (this.isEmpty) return buf;
    return Buffer.concat(this.#scan(buf, buf.length, { coverEnd: 0, inRun: false }));
  }

  /** Masks a string (as its UTF-8 bytes; every form is whole characters, so the result is valid text). */
  maskText(text: string): string {
    if (this.isEmpty || text.length === 0) return text;
    const bytes = Buffer.from(text, 'utf8');
    const masked = this.maskBytes(bytes);
    // Unchanged text is answered as given, lone surrogates and all (UTF-8 would replace them).
    return masked.equals(bytes) ? text : masked.toString('utf8');
  }

  /**
   * Masks a JSON value deeply: strings, object keys, and numbers whose digits hold a secret (they
   * become the masked string). Keys that collide once masked get a ` (2)`, ` (3)` suffix rather than
   * overwrite each other.
   * @example masker.maskJson({ out: ['token hunter22'] }) // { out: ['token ********'] }
   */
  maskJson(value: unknown): unknown {
    if (this.isEmpty) return value;
    return this.#maskValue(value, new Set());
  }

  /** A masker for one stream (stdout, stderr) of output; see StreamMasker. */
  createStreamMasker(): StreamMasker {
    const holdBack = Math.max(0, this.maxPatternLength - 1);
    const state: ScanState = { coverEnd: 0, inRun: false };
    let pending = Buffer.alloc(0);
    let ended = false;
    return {
      push: (chunk) => {
        if (ended) throw new Error('StreamMasker.push after end');
        const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (this.isEmpty) return Buffer.from(view);
        const buf = pending.length === 0 ? view : Buffer.concat([pending, view]);
        const decidable = Math.max(0, buf.length - holdBack);
        const out = Buffer.concat(this.#scan(buf, decidable, state));
        // A copy: holding a view would keep the whole chunk alive.
        pending = Buffer.from(buf.subarray(decidable));
        return out;
      },
      end: () => {
        if (ended) return Buffer.alloc(0);
        ended = true;
        const out = Buffer.concat(this.#scan(pending, pending.length, state));
        pending = Buffer.alloc(0);
        return out;
      },
    };
  }

  /**
   * Masks `buf[0, decidable)`, checking every form that fits in `buf`, and answers the output
   * pieces. `state` carries a masked run across calls so that a run split by a chunk boundary
   * still yields a single mask, making stream output equal to one-shot output.
   */
  #scan(buf: Buffer, decidable: number, state: ScanState): Buffer[] {
    const parts: Buffer[] = [];
    let coverEnd = state.coverEnd;
    let inRun = state.inRun;
    let plainFrom = 0;
    for (let i = 0; i < decidable; i++) {
      const candidates = this.#byFirstByte[buf[i] as number];
      if (candidates !== undefined) {
        for (const form of candidates) {
          const end = i + form.length;
          if (end <= buf.length && buf.compare(form, 0, form.length, i, end) === 0) {
            if (end > coverEnd) coverEnd = end;
            break; // longest first: the first match covers the most
          }
        }
      }
      if (i < coverEnd) {
        if (!inRun) {
          if (plainFrom < i) parts.push(buf.subarray(plainFrom, i));
          parts.push(MASK);
          inRun = true;
        }
        plainFrom = i + 1;
      } else {
        inRun = false;
      }
    }
    if (plainFrom < decidable) parts.push(buf.subarray(plainFrom, decidable));
    state.coverEnd = Math.max(0, coverEnd - decidable);
    state.inRun = inRun;
    return parts;
  }

  #maskValue(value: unknown, ancestors: Set<object>): unknown {
    if (typeof value === 'string') return this.maskText(value);
    if (typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      const masked = this.maskText(text);
      return masked === text ? value : masked;
    }
    if (value === null || typeof value !== 'object') return value;
    if (ancestors.has(value)) throw new TypeError('maskJson: the value is circular, expected JSON');
    const toJson = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') return this.#maskValue(toJson.call(value), ancestors);
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => this.#maskValue(item, ancestors));
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        let masked = this.maskText(key);
        for (let n = 2; Object.hasOwn(out, masked); n++) masked = `${this.maskText(key)} (${n})`;
        // defineProperty: a "__proto__" key stays a key instead of replacing the prototype.
        Object.defineProperty(out, masked, { value: this.#maskValue(item, ancestors), enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      ancestors.delete(value);
    }
  }
}
