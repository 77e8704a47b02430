import { describe, expect, it } from 'vitest';
import { pythonRepr, pythonStr } from '../../../worker-host/runner/index.ts';

// Goldens from CPython 3.11: str() / repr() of the value json.loads gives for the same JSON.
describe("pythonStr: Python's str() of a JSON value", () => {
  it.each<[unknown, string]>([
    ['plain text', 'plain text'],
    [3, '3'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [2.5e-7, '2.5e-07'],
    [1.5e300, '1.5e+300'],
    [true, 'True'],
    [null, 'None'],
    [['a', true, null, 1.5, { k: "x'y" }], `['a', True, None, 1.5, {'k': "x'y"}]`],
    [{ a: [1, 2], b: 'tab\there' }, "{'a': [1, 2], 'b': 'tab\\there'}"],
  ])('prints %j as %s', (value, text) => {
    expect(pythonStr(value)).toBe(text);
  });

  it('quotes strings as repr() does: single quotes, double when the text has only single ones, escapes otherwise', () => {
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr(`a"b'c`)).toBe(`'a"b\\'c'`);
    expect(pythonRepr('back\\slash\n')).toBe("'back\\\\slash\\n'");
    expect(pythonRepr('\u0001é')).toBe("'\\x01é'");
  });
});
