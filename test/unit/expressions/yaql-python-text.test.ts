import { describe, expect, it } from 'vitest';
import { evaluate, fromJs, PyFloat, pyRepr, pyStr, YaqlDict } from '../../../engine/expressions/yaql/index.ts';
import { pyFormat } from '../../../engine/expressions/yaql/python-format.ts';
import { floatRepr } from '../../../engine/expressions/yaql/convert.ts';
import { pyList, tuple } from '../../../engine/expressions/yaql/values.ts';

describe('Python text of values', () => {
  it('prints floats with the shortest digits and Python exponents', () => {
    const cases: Array<[number, string]> = [
      [1, '1.0'],
      [-0, '-0.0'],
      [0.1, '0.1'],
      [1e16, '1e+16'],
      [1.5e16, '1.5e+16'],
      [123456789012345.6, '123456789012345.6'],
      [1e-4, '0.0001'],
      [1e-5, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [Infinity, 'inf'],
      [Number.NaN, 'nan'],
    ];
    for (const [value, text] of cases) expect(floatRepr(value)).toBe(text);
  });

  it('quotes strings as repr does, choosing the quote and escaping the rest', () => {
    expect(pyRepr("it's", 'output')).toBe(`"it's"`);
    expect(pyRepr(`say "hi" it's`, 'output')).toBe(`'say "hi" it\\'s'`);
    expect(pyRepr('a\nb\t\\', 'output')).toBe(`'a\\nb\\t\\\\'`);
    expect(pyRepr('\x00\x7f\u200b\u00a0é😀', 'output')).toBe(`'\\x00\\x7f\\u200b\\xa0é😀'`);
  });

  it('prints tuples inside an expression and lists once output', () => {
    const value = fromJs({ l: [1, [2]], one: ['x'] });
    expect(pyStr(value, 'yaql')).toBe(`{'l': (1, (2,)), 'one': ('x',)}`);
    expect(pyStr(value, 'output')).toBe(`{'l': [1, [2]], 'one': ['x']}`);
    expect(pyStr(pyList([tuple([1])]), 'yaql')).toBe('[(1,)]');
  });

  it('prints non-string dict keys as Python values, true and 1 being one key', () => {
    const dict = new YaqlDict([[1, 'a'], [new PyFloat(2.5), null], [true, false], [null, 1], ['1', 'b']]);
    expect(pyStr(dict, 'output')).toBe(`{1: False, 2.5: None, None: 1, '1': 'b'}`);
  });
});

describe('str.format', () => {
  it('fills fields by position, by automatic numbering and by name', () => {
    expect(pyFormat('{0}-{1}-{0}', ['a', 'b'], new Map())).toBe('a-b-a');
    expect(pyFormat('{}{}', [1, 2], new Map())).toBe('12');
    expect(pyFormat('{name}!', [], new Map([['name', 'x']]))).toBe('x!');
    expect(pyFormat('{{}} {0[1]} {1[k]}', [fromJs(['zero', 'one']), fromJs({ k: 'v' })], new Map())).toBe('{} one v');
  });

  it('applies width, alignment, sign, precision and types', () => {
    const run = (spec: string, value: unknown): string => pyFormat(`{0:${spec}}`, [fromJs(value)], new Map());
    expect(run('>6', 'ab')).toBe('    ab');
    expect(run('*^7', 'ab')).toBe('**ab***');
    expect(run('05d', -42)).toBe('-0042');
    expect(run('+d', 5)).toBe('+5');
    expect(run('.3f', 3.14159)).toBe('3.142');
    expect(run(',', 1234567)).toBe('1,234,567');
    expect(run('#x', 255)).toBe('0xff');
    expect(run('b', 5)).toBe('101');
    expect(run('e', 12345.678)).toBe('1.234568e+04');
    expect(run('g', 0.00001234)).toBe('1.234e-05');
    expect(run('.1%', 0.256)).toBe('25.6%');
  });

  it('refuses what Python refuses', () => {
    expect(() => pyFormat('{} {0}', [1, 2], new Map())).toThrow(/automatic field numbering/);
    expect(() => pyFormat('{0:d}', ['a'], new Map())).toThrow(/Unknown format code 'd'/);
    expect(() => pyFormat('{1}', [1], new Map())).toThrow(/Replacement index 1 out of range/);
    expect(() => pyFormat('}', [], new Map())).toThrow(/Single '}'/);
  });
});

describe('Python arithmetic in YAQL', () => {
  it('floors the division of two ints and keeps true division for floats', () => {
    expect(evaluate('[7 / 2, -7 / 2, 7 / 2.0, 7.5 / 2.5]')).toEqual([3, -4, 3.5, 3]);
  });

  it('gives mod the sign of the divisor', () => {
    expect(evaluate('[7 mod 3, -7 mod 3, 7 mod -3, -7.5 mod 2]')).toEqual([1, 2, -2, 0.5]);
  });

  it('rounds half to even on the exact binary value', () => {
    expect(evaluate('[round(0.5), round(1.5), round(2.5), round(2.675, 2), round(1234, -2), round(1250, -2)]')).toEqual([0, 2, 2, 2.67, 1200, 1200]);
  });

  it('compares across int, float and bool as Python does', () => {
    expect(evaluate('[1 = 1.0, true = 1, 0 = false, 1 in [true], [1] = [1.0]]')).toEqual([true, true, true, true, true]);
  });
});
