import { describe, expect, it } from 'vitest';
import { Masker, secretForms } from '../../../engine/secrets/index.ts';
import type { StreamMasker } from '../../../engine/secrets/index.ts';

const MASK = '********';

/** Feeds `chunks` through a fresh stream masker and answers everything it emitted. */
function streamed(masker: Masker, chunks: Uint8Array[]): Buffer {
  const stream: StreamMasker = masker.createStreamMasker();
  const out = chunks.map((c) => stream.push(c));
  return Buffer.concat([...out, stream.end()]);
}

/** Splits `buf` at the given offsets. */
function splitAt(buf: Buffer, offsets: number[]): Buffer[] {
  const cuts = [0, ...offsets, buf.length];
  return cuts.slice(1).map((end, i) => buf.subarray(cuts[i], end));
}

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('StreamMasker', () => {
  const masker = Masker.fromSecrets({ token: 'tok-ABCDEFGH', key: 'k3y-zyxw' });

  it('masks a secret split across two chunks', () => {
    // Act
    const out = streamed(masker, [Buffer.from('start tok-ABC'), Buffer.from('DEFGH end')]);
    // Assess
    expect(out.toString()).toBe(`start ${MASK} end`);
  });

  it('masks a secret split across three chunks', () => {
    const out = streamed(masker, [Buffer.from('a tok-'), Buffer.from('ABCD'), Buffer.from('EFGH b')]);
    expect(out.toString()).toBe(`a ${MASK} b`);
  });

  it('masks a secret fed one byte at a time, and its base64 too', () => {
    // Prepare
    const text = Buffer.from(`x tok-ABCDEFGH y ${Buffer.from('k3y-zyxw').toString('base64')} z`);
    // Act
    const out = streamed(masker, [...text].map((b) => Buffer.from([b])));
    // Assess
    expect(out.toString()).toBe(`x ${MASK} y ${MASK} z`);
  });

  it('holds back at most the longest form less one byte', () => {
    // Prepare
    const stream = masker.createStreamMasker();
    const chunk = Buffer.alloc(10_000, 'a');
    // Act
    const first = stream.push(chunk);
    const second = stream.push(chunk);
    const rest = stream.end();
    // Assess
    expect(first.length).toBe(chunk.length - (masker.maxPatternLength - 1));
    expect(first.length + second.length).toBe(2 * chunk.length - (masker.maxPatternLength - 1));
    expect(rest.length).toBe(masker.maxPatternLength - 1);
  });

  it('passes binary data, invalid UTF-8 included, through untouched around a masked secret', () => {
    // Prepare
    const binary = Buffer.from([0xc3, 0x28, 0xff, 0x00, 0xe2, 0x82]);
    const input = Buffer.concat([binary, Buffer.from('tok-ABCDEFGH'), binary]);
    // Act
    const out = streamed(masker, splitAt(input, [3, 9, 14]));
    // Assess
    expect(out).toEqual(Buffer.concat([binary, Buffer.from(MASK), binary]));
  });

  it('emits chunks unchanged when there are no secrets', () => {
    const stream = new Masker([]).createStreamMasker();
    expect(stream.push(Buffer.from('abc')).toString()).toBe('abc');
    expect(stream.end().length).toBe(0);
  });

  it('emits one mask for a masked run that a chunk boundary cuts', () => {
    const out = streamed(masker, [Buffer.from('tok-ABCDEFGHk3y-'), Buffer.from('zyxw!')]);
    expect(out.toString()).toBe(`${MASK}!`);
  });

  it('refuses a push after end, and answers nothing on a second end', () => {
    const stream = masker.createStreamMasker();
    stream.end();
    expect(stream.end().length).toBe(0);
    expect(() => stream.push(Buffer.from('x'))).toThrow(/after end/);
  });

  it('never leaks any form of any secret, whatever the chunk boundaries (property)', () => {
    // Prepare
    const secrets = ['s3cr3t-Alpha', 'B3ta_token+/=', 'gämma-wert', 'xyz9'];
    const props = Masker.fromSecrets(secrets);
    const forms = secrets.flatMap((s) => secretForms(s));
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const pieces: string[] = [];
      for (let i = 0; i < 30; i++) {
        const pick = next();
        if (pick < 0.35) pieces.push(forms[Math.floor(next() * forms.length)] as string);
        else pieces.push(Math.floor(next() * 1e9).toString(36).slice(0, 1 + Math.floor(next() * 6)));
      }
      const text = Buffer.from(pieces.join(next() < 0.5 ? ' ' : ''));
      const offsets = Array.from({ length: Math.floor(next() * 12) }, () => Math.floor(next() * text.length)).sort((a, b) => a - b);
      // Act
      const out = streamed(props, splitAt(text, offsets));
      // Assess
      const shown = out.toString('utf8');
      // One assertion per seed: an expect per form costs more than the masking under test.
      expect(forms.filter((form) => shown.includes(form)), `seed ${seed} leaked`).toEqual([]);
      expect(out.equals(props.maskBytes(text)), `seed ${seed}: stream differs from one-shot`).toBe(true);
    }
  });
});
