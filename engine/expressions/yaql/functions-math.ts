import type { FunctionTable, Lambda, LazyRule } from './dispatch.ts';
import { YaqlFault } from './errors.ts';
import { round, toFloat, toInt } from './python-math.ts';
import type { PyNumber } from './python-math.ts';
import { define, p } from './table.ts';
import { numberValue, PyFloat, ScopeRef, truthy, YaqlIterator } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * Numbers, booleans, branching and context functions (yaql's `math.py`, `boolean.py`,
 * `branching.py`, `system.py`): `abs int float round pow sign max min random isInteger isNumber`,
 * the `bitwise*` and `shiftBits*` functions, `bool isBoolean`, `switch selectCase selectAllCases
 * examine switchCase coalesce`, `let with assert`.
 */
export function registerMath(table: FunctionTable): void {
  const fn = (params: ReturnType<typeof p>[], impl: (args: unknown[]) => YaqlValue) => ({ kind: 'function' as const, params, impl: ({ args }: { args: unknown[] }) => impl(args) });
  const num = (name: string) => p(name, 'number');

  define(table, 'abs', fn([num('op')], ([x]) => (typeof x === 'number' ? Math.abs(x) : new PyFloat(Math.abs(numberValue(x as PyFloat))))));
  define(table, 'int', fn([p('value', 'any')], ([v]) => toInt(v as YaqlValue)));
  define(table, 'float', fn([p('value', 'any')], ([v]) => toFloat(v as YaqlValue)));
  define(table, 'round', fn([num('number'), p('ndigits', 'int', { default: 0 })], ([x, n]) => round(x as PyNumber, n as number)));
  define(table, 'pow', fn([num('a'), num('b'), p('c', 'number', { nullable: true, default: null })], ([a, b, c]) => power(a as PyNumber, b as PyNumber, c as PyNumber | null)));
  define(table, 'sign', fn([num('num')], ([x]) => Math.sign(numberValue(x as PyNumber)) + 0));
  define(table, 'isInteger', fn([p('value', 'any')], ([v]) => typeof v === 'number'));
  define(table, 'isNumber', fn([p('value', 'any')], ([v]) => typeof v === 'number' || v instanceof PyFloat));
  define(
    table,
    'random',
    fn([], () => new PyFloat(Math.random())),
    fn([p('from', 'any'), p('to', 'any')], ([a, b]) => {
      if (typeof a !== 'number' || typeof b !== 'number') throw new YaqlFault('TypeError', 'random() needs two integers');
      if (b < a) throw new YaqlFault('ValueError', 'empty range for random()');
      return a + Math.floor(Math.random() * (b - a + 1));
    }),
  );
  const bits: Array<[string, (a: number, b: number) => number]> = [
    ['bitwiseAnd', (a, b) => a & b],
    ['bitwiseOr', (a, b) => a | b],
    ['bitwiseXor', (a, b) => a ^ b],
    ['shiftBitsLeft', (a, b) => a * 2 ** b],
    ['shiftBitsRight', (a, b) => Math.floor(a / 2 ** b)],
  ];
  for (const [name, op] of bits) {
    const params = name.startsWith('shift') ? [p('value', 'int'), p('bitsNumber', 'int')] : [p('left', 'int'), p('right', 'int')];
    define(table, name, fn(params, ([a, b]) => op(a as number, b as number)));
  }
  define(table, 'bitwiseNot', fn([p('arg', 'int')], ([a]) => ~(a as number)));
  // Two-argument max and min, by yaql's `>` (so they also order strings, and null below all).
  define(table, 'max', { kind: 'function', params: [p('a', 'any'), p('b', 'any')], impl: ({ args, env }) => (truthy(env.invoke('#operator_>', [args[1] as YaqlValue, args[0] as YaqlValue])) ? (args[1] as YaqlValue) : (args[0] as YaqlValue)) });
  define(table, 'min', { kind: 'function', params: [p('a', 'any'), p('b', 'any')], impl: ({ args, env }) => (truthy(env.invoke('#operator_>', [args[1] as YaqlValue, args[0] as YaqlValue])) ? (args[0] as YaqlValue) : (args[1] as YaqlValue)) });

  define(table, 'bool', fn([p('value', 'any')], ([v]) => truthy(v as YaqlValue)));
  define(table, 'isBoolean', fn([p('value', 'any')], ([v]) => typeof v === 'boolean'));

  define(table, 'switch', { kind: 'function', params: [], rest: p('args', 'rule'), noKwargs: true, impl: ({ args }) => {
    for (const rule of args as LazyRule[]) if (truthy(rule.source())) return rule.destination();
    return null;
  } });
  define(table, 'selectCase', { kind: 'function', params: [], rest: p('args', 'lambda'), impl: ({ args }) => {
    const index = (args as Lambda[]).findIndex((f) => truthy(f()));
    return index < 0 ? args.length : index;
  } });
  define(table, 'selectAllCases', { kind: 'function', params: [], rest: p('args', 'lambda'), impl: ({ args }) =>
    new YaqlIterator((args as Lambda[]).flatMap((f, i) => (truthy(f()) ? [i] : []))) });
  define(table, 'examine', { kind: 'function', params: [], rest: p('args', 'lambda'), impl: ({ args }) => new YaqlIterator((args as Lambda[]).map((f) => truthy(f()))) });
  define(table, 'switchCase', { kind: 'method', params: [p('case', 'int')], rest: p('args', 'lambda'), impl: ({ args }) => {
    const [caseIndex, ...cases] = args as [number, ...Lambda[]];
    if (caseIndex >= 0 && caseIndex < cases.length) return (cases[caseIndex] as Lambda)();
    return cases.length === 0 ? null : (cases[cases.length - 1] as Lambda)();
  } });
  define(table, 'coalesce', { kind: 'function', params: [], rest: p('args', 'lambda'), impl: ({ args }) => {
    for (const f of args as Lambda[]) {
      const value = f();
      if (value !== null) return value;
    }
    return null;
  } });

  define(table, 'let', { kind: 'function', params: [], rest: p('args', 'any'), kwargs: p('kwargs', 'any'), impl: ({ args, kwargs, env }) => {
    (args as YaqlValue[]).forEach((value, i) => env.scope.set(`$${i + 1}`, value));
    for (const [key, value] of kwargs) env.scope.set(key, value);
    return new ScopeRef(env.scope);
  } });
  define(table, 'with', { kind: 'function', params: [], rest: p('args', 'any'), impl: ({ args, env }) => {
    (args as YaqlValue[]).forEach((value, i) => env.scope.set(`$${i + 1}`, value));
    return new ScopeRef(env.scope);
  } });
  define(table, 'assert', { kind: 'method', params: [p('obj', 'any'), p('condition', 'lambda'), p('message', 'string', { default: 'Assertion failed' })], impl: ({ args }) => {
    if (!truthy((args[1] as Lambda)(args[0] as YaqlValue))) throw new YaqlFault('AssertionError', args[2] as string);
    return args[0] as YaqlValue;
  } });
}

function power(a: PyNumber, b: PyNumber, modulus: PyNumber | null): PyNumber {
  if (modulus !== null) {
    if (typeof a !== 'number' || typeof b !== 'number' || typeof modulus !== 'number') throw new YaqlFault('TypeError', 'pow() 3rd argument not allowed unless all arguments are integers');
    if (modulus === 0) throw new YaqlFault('ValueError', 'pow() 3rd argument cannot be 0');
    let result = 1;
    let base = ((a % modulus) + modulus) % modulus;
    for (let e = b; e > 0; e = Math.floor(e / 2)) {
      if (e % 2 === 1) result = (result * base) % modulus;
      base = (base * base) % modulus;
    }
    return result;
  }
  if (typeof a === 'number' && typeof b === 'number' && b >= 0) return a ** b;
  const x = numberValue(a);
  if (x === 0 && numberValue(b) < 0) throw new YaqlFault('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  return new PyFloat(x ** numberValue(b));
}
