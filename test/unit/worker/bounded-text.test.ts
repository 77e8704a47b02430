import { describe, expect, it } from 'vitest';
import { boundedText } from '../../../worker-host/index.ts';

describe('boundedText', () => {
  it('keeps a text within the limit as it is', () => {
    expect(boundedText('ValueError: bad input', 64)).toBe('ValueError: bad input');
  });

  it('cuts a longer text and says how many bytes it left out', () => {
    expect(boundedText('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}… (90 more bytes)`);
  });

  it('never splits a multi-byte character', () => {
    // 'é' is 2 bytes: a cut at 3 bytes would fall inside the second one.
    expect(boundedText('ééé', 3)).toBe('é… (4 more bytes)');
  });
});
