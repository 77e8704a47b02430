import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Masker } from '../../../engine/secrets/index.ts';

const MASK = '********';

/** What Python's standard library wrote for each secret (recorded by record-encoded-forms.py). */
const GOLDEN = JSON.parse(readFileSync(new URL('../../fixtures/secrets/encoded-forms.json', import.meta.url), 'utf8')) as { secret: string; encoder: string; text: string }[];

describe('secrets are masked in the forms other encoders write', () => {
  it.each(GOLDEN.map((g) => [g.encoder, JSON.stringify(g.secret).slice(0, 24), g] as const))('masks %s of %s', (_encoder, _secret, golden) => {
    // Prepare
    const masker = Masker.fromSecrets([golden.secret]);
    // Act
    const masked = masker.maskText(`x ${golden.text} y`);
    // Assess: one mask where the text was; a trailing newline of the encoder stays
    expect(masked).toBe(`x ${MASK}${golden.text.endsWith('\n') ? '\n' : ''} y`);
  });

  it.each([
    ['Go-style \\u003c escapes', (v: string) => JSON.stringify(v).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')],
    ['every character but letters and digits as \\u00XX', (v: string) => v.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)],
  ])('masks %s', (_form, encode) => {
    // Prepare
    const secret = 'tok<en>&more/stuff';
    const masker = Masker.fromSecrets([secret]);
    // Act
    const masked = masker.maskText(`{"v":"${encode(secret)}"}`);
    // Assess
    expect(masked).toBe(`{"v":"${MASK}"}`);
  });
});
