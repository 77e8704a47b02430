import { describe, expect, it } from 'vitest';
import { Masker } from '../../../engine/secrets/index.ts';
import { secretValuesOf } from '../../../engine/secrets/masker.ts';

const MASK = '********';

describe('secretValuesOf', () => {
  it('answers a string or a number as its text', () => {
    // Act, Assess
    expect(secretValuesOf('hunter22')).toEqual(['hunter22']);
    expect(secretValuesOf(987654321)).toEqual(['987654321']);
    expect(secretValuesOf(12.5)).toEqual(['12.5']);
  });

  it('answers every string and number leaf of an object, and its JSON form', () => {
    // Prepare
    const creds = { user: 'ada-lovelace', password: 'hunter22', pins: [1234, 5678], nested: { key: 'k3y-value' } };
    // Act
    const values = secretValuesOf(creds);
    // Assess
    expect(values).toEqual(expect.arrayContaining(['ada-lovelace', 'hunter22', '1234', '5678', 'k3y-value', JSON.stringify(creds)]));
    expect(values).toEqual(expect.arrayContaining([JSON.stringify([1234, 5678]), JSON.stringify({ key: 'k3y-value' })]));
  });

  it('answers the leaves and the JSON form of an array', () => {
    // Act
    const values = secretValuesOf(['alpha-token', ['beta-token'], 42424242]);
    // Assess
    expect(values).toEqual(['alpha-token', 'beta-token', '["beta-token"]', '42424242', '["alpha-token",["beta-token"],42424242]']);
  });

  it('leaves out object keys, booleans, null and nothing', () => {
    // Act, Assess
    expect(secretValuesOf({ enabled: true, none: null })).toEqual(['{"enabled":true,"none":null}']);
    expect(secretValuesOf(true)).toEqual([]);
    expect(secretValuesOf(null)).toEqual([]);
    expect(secretValuesOf(undefined)).toEqual([]);
  });

  it('answers each text once', () => {
    // Act, Assess
    expect(secretValuesOf(['same-value', 'same-value'])).toEqual(['same-value', '["same-value","same-value"]']);
  });

  it('answers the leaves of a circular value without a JSON form', () => {
    // Prepare
    const loop: Record<string, unknown> = { token: 'hunter22' };
    loop.self = loop;
    // Act, Assess
    expect(secretValuesOf(loop)).toEqual(['hunter22']);
  });

  it('lets a masker hide an object secret printed as JSON or piece by piece', () => {
    // Prepare
    const creds = { user: 'ada-lovelace', password: 'hunter22' };
    const masker = Masker.fromSecrets(secretValuesOf(creds));
    // Act
    const compact = masker.maskText(`creds=${JSON.stringify(creds)}`);
    const spaced = masker.maskText(`creds=${JSON.stringify(creds, null, 1)}`);
    // Assess
    expect(compact).toBe(`creds=${MASK}`);
    expect(spaced).not.toMatch(/ada-lovelace|hunter22/);
  });
});
