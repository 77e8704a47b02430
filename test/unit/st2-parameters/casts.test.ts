import { describe, expect, it } from 'vitest';
import { CastFailure, NONE_MAGIC, castValue, parseYaml } from './imports.ts';

describe('castValue (st2 casts.py)', () => {
  it.each([
    ['3', 'integer', 3],
    [' -12 ', 'integer', -12],
    ['1_000', 'integer', 1000],
    [3.9, 'integer', 3],
    [true, 'integer', 1],
    ['3', 'number', 3],
    ['1e3', 'number', 1000],
    ['.5', 'number', 0.5],
    ['true', 'boolean', true],
    ['FALSE', 'boolean', false],
    ['True', 'boolean', true],
    ['{"a": 1}', 'object', { a: 1 }],
    ["{'a': True, 'b': (1, 2), 'c': None}", 'object', { a: true, b: [1, 2], c: null }],
    ['[1, "x"]', 'array', [1, 'x']],
    ["['x', 'y']", 'array', ['x', 'y']],
    [3, 'string', '3'],
    [false, 'string', 'False'],
    ['text', 'string', 'text'],
    [{ a: 1 }, undefined, { a: 1 }],
  ] as const)('casts %j to %s as %j', (value, type, expected) => {
    // Act
    const cast = castValue(value, type);
    // Assess
    expect(cast).toEqual(expected);
  });

  it('turns st2s None marker and null into null for every type', () => {
    expect(castValue(NONE_MAGIC, 'string')).toBeNull();
    expect(castValue(null, 'integer')).toBeNull();
  });

  it.each([
    ['three', 'integer'],
    ['3.5', 'integer'],
    ['nan', 'number'],
    ['yes', 'boolean'],
    ['{not json', 'object'],
  ] as const)('refuses %j as %s', (value, type) => {
    expect(() => castValue(value, type)).toThrow(CastFailure);
  });
});

describe('parseYaml reads scalars as PyYAML does', () => {
  it('reads only yes/no/true/false/on/off as booleans, and a float only with a dot', () => {
    // Act
    const read = parseYaml('a: y\nb: n\nc: yes\nd: NO\ne: on\nf: Off\ng: 1e3\nh: 1.0e3\ni: 1.5e+3\nj: 0755\nk: 09\nl: .5\nm: -2.5\nn: 2002-12-14\no: ~\np: 12:30\n', 'x.yaml');
    // Assess
    expect(read).toEqual({
      ok: true,
      data: { a: 'y', b: 'n', c: true, d: false, e: true, f: false, g: '1e3', h: '1.0e3', i: 1500, j: 493, k: '09', l: 0.5, m: -2.5, n: '2002-12-14', o: null, p: 750 },
    });
  });
});
