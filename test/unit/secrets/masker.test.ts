import { describe, expect, it } from 'vitest';
import { Masker, secretForms } from '../../../engine/secrets/index.ts';

const MASK = '********';
const SECRET = 'hunter2-Ü/?&"\\x';

describe('Masker.maskText', () => {
  it.each([
    ['the raw value', (v: string) => v],
    ['standard base64', (v: string) => Buffer.from(v).toString('base64')],
    ['unpadded base64', (v: string) => Buffer.from(v).toString('base64').replace(/=+$/, '')],
    ['url-safe base64', (v: string) => Buffer.from(v).toString('base64url')],
    ['the JSON-escaped value', (v: string) => JSON.stringify(v).slice(1, -1)],
    ['the ASCII JSON escape Python writes', (v: string) => JSON.stringify(v).slice(1, -1).replace('Ü', '\\u00dc')],
    ['the URL-encoded value', (v: string) => encodeURIComponent(v)],
    ['the URL-encoded value in lowercase hex', (v: string) => encodeURIComponent(v).replace(/%[0-9A-F]{2}/g, (s) => s.toLowerCase())],
    ['the form-encoded value', (v: string) => new URLSearchParams({ q: v }).toString().slice(2)],
    ['hex', (v: string) => Buffer.from(v).toString('hex')],
  ])('masks %s', (_form, encode) => {
    // Prepare
    const masker = Masker.fromSecrets({ token: SECRET });
    // Act
    const masked = masker.maskText(`before ${encode(SECRET)} after`);
    // Assess
    expect(masked).toBe(`before ${MASK} after`);
  });

  it.each([0, 1, 2])('masks the base64 of the value embedded at byte offset %d of a larger encoded text', (offset) => {
    // Prepare
    const masker = Masker.fromSecrets(['correct-horse-battery']);
    const encoded = Buffer.from(`${'u:'.slice(0, offset)}correct-horse-battery\n`).toString('base64');
    // Act
    const masked = masker.maskText(`Authorization: Basic ${encoded}`);
    // Assess
    expect(masked).toContain(MASK);
    const left = masked.replace('Authorization: Basic ', '').split(MASK).join('');
    // What survives encodes the prefix, the newline and padding (plus the two characters the value
    // shares with them): a handful, of the 28 that encode the value.
    expect(left.length).toBeLessThan(8);
    expect(masked).not.toContain(Buffer.from('correct-horse-battery').toString('base64').slice(4, 24));
  });

  it('masks every occurrence and leaves other text alone', () => {
    const masker = Masker.fromSecrets({ a: 'swordfish' });
    expect(masker.maskText('swordfish, swordfish! sword fish')).toBe(`${MASK}, ${MASK}! sword fish`);
  });

  it('masks the whole of two overlapping secrets with one mask', () => {
    // Prepare
    const masker = Masker.fromSecrets({ a: 'abcdefgh', b: 'efghijkl' });
    // Act
    const masked = masker.maskText('x abcdefghijkl y');
    // Assess
    expect(masked).toBe(`x ${MASK} y`);
  });

  it('leaves values shorter than 4 characters unmasked, and masks any length when asked', () => {
    expect(Masker.fromSecrets({ pin: 'abc' }).maskText('abc abcd')).toBe('abc abcd');
    expect(Masker.fromSecrets({ pin: 'abc' }, { minLength: 1 }).maskText('abc abcd')).toBe(`${MASK} ${MASK}d`);
  });

  it('answers the text unchanged when there is nothing to mask', () => {
    const lone = 'bad \ud800 surrogate';
    expect(new Masker([]).maskText(lone)).toBe(lone);
    expect(Masker.fromSecrets(['unrelated']).maskText(lone)).toBe(lone);
    expect(new Masker(['']).isEmpty).toBe(true);
  });
});

describe('Masker.maskBytes', () => {
  it('masks a secret inside binary data and leaves every other byte as it was', () => {
    // Prepare
    const masker = Masker.fromSecrets(['p4ssw0rd']);
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3]);
    const input = Buffer.concat([binary, Buffer.from('p4ssw0rd'), binary]);
    // Act
    const masked = masker.maskBytes(input);
    // Assess
    expect(masked).toEqual(Buffer.concat([binary, Buffer.from(MASK), binary]));
  });

  it('passes binary data without secrets through byte for byte', () => {
    const input = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    expect(Masker.fromSecrets(['p4ssw0rd']).maskBytes(input).equals(input)).toBe(true);
  });
});

describe('Masker.maskJson', () => {
  it('masks strings and keys at any depth, in objects and arrays', () => {
    // Prepare
    const masker = Masker.fromSecrets({ token: 'tok-12345' });
    const result = { out: ['a tok-12345', { nested: { deeper: [`x=${encodeURIComponent('tok-12345')}`] } }], 'tok-12345': true, n: null };
    // Act
    const masked = masker.maskJson(result);
    // Assess
    expect(masked).toEqual({ out: [`a ${MASK}`, { nested: { deeper: [`x=${MASK}`] } }], [MASK]: true, n: null });
    expect(JSON.stringify(masked)).not.toContain('tok-12345');
  });

  it('turns a number whose digits are a secret into the masked string and keeps other numbers', () => {
    const masker = Masker.fromSecrets(['918273645']);
    expect(masker.maskJson({ pin: 918273645, count: 3, ok: false })).toEqual({ pin: MASK, count: 3, ok: false });
  });

  it('keeps keys that collide once masked, and a "__proto__" key as a key', () => {
    // Prepare
    const masker = Masker.fromSecrets(['secret-value']);
    const value = JSON.parse('{"secret-value": 1, "c2VjcmV0LXZhbHVl": 2, "__proto__": {"polluted": "secret-value"}}') as unknown;
    // Act
    const masked = masker.maskJson(value) as Record<string, unknown>;
    // Assess
    expect(Object.keys(masked)).toEqual([MASK, `${MASK} (2)`, '__proto__']);
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value).toEqual({ polluted: MASK });
  });

  it('refuses a circular value instead of recursing forever', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => Masker.fromSecrets(['secret-value']).maskJson(loop)).toThrow(/circular/);
  });
});

describe('secretForms', () => {
  it('lists distinct forms longest first, with no encoded form shorter than 4 characters', () => {
    // Act
    const forms = secretForms('abcd');
    // Assess
    expect(new Set(forms).size).toBe(forms.length);
    expect([...forms].sort((a, b) => b.length - a.length)).toEqual(forms);
    expect(forms).toContain('abcd');
    expect(forms).toContain('YWJjZA==');
    expect(forms.every((f) => f.length >= 4)).toBe(true);
  });
});
