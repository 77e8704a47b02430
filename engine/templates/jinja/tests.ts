/** jinja2's built-in tests (`is defined`, `is odd`, ...) and global functions (range, namespace, ...). */
import { REQUIRED, bind } from './arguments.ts';
import type { Signature } from './arguments.ts';
import { JinjaLimitError, typeError } from './jinja-errors.ts';
import { binary, compare, contains, pyEquals } from './operators.ts';
import type { FilterContext, Test } from './runtime.ts';
import { NOT_FOUND, Namespace, PyCallable, PyFloat, PyObject, Undefined, isDict, isFloat, isInt, newDict, owned, toNumber } from './values.ts';

/** jinja2's sandbox refuses ranges longer than this (SandboxedEnvironment MAX_RANGE). */
export const MAX_RANGE = 100_000;

function test(name: string, signature: Signature, fn: (value: unknown, args: unknown[], ctx: FilterContext) => boolean): Test {
  return (ctx, value, args, kwargs) => fn(value, bind(name, signature, args, kwargs), ctx);
}

function comparison(op: 'eq' | 'ne' | 'lt' | 'lteq' | 'gt' | 'gteq'): Test {
  return test(op, [['other', REQUIRED]], (v, [other]) => compare(op, v, other));
}

function defined(value: unknown): boolean {
  return !(value instanceof Undefined);
}

/** jinja2's tests, plus the `in` test st2 registers (the same as jinja2's). */
export const TESTS: Record<string, Test> = {
  odd: test('odd', [], (v) => pyEquals(binary('%', v, 2), 1)),
  even: test('even', [], (v) => pyEquals(binary('%', v, 2), 0)),
  divisibleby: test('divisibleby', [['num', REQUIRED]], (v, [n]) => pyEquals(binary('%', v, n), 0)),
  defined: test('defined', [], (v) => defined(v)),
  undefined: test('undefined', [], (v) => !defined(v)),
  filter: test('filter', [], (v, _a, ctx) => typeof v === 'string' && ctx.hasFilter(v)),
  test: test('test', [], (v, _a, ctx) => typeof v === 'string' && ctx.hasTest(v)),
  none: test('none', [], (v) => v === null),
  boolean: test('boolean', [], (v) => v === true || v === false),
  false: test('false', [], (v) => v === false),
  true: test('true', [], (v) => v === true),
  integer: test('integer', [], (v) => isInt(v)),
  float: test('float', [], (v) => isFloat(v)),
  lower: test('lower', [], (v) => typeof v === 'string' && /\p{Ll}/u.test(v) && v === v.toLowerCase()),
  upper: test('upper', [], (v) => typeof v === 'string' && /\p{Lu}/u.test(v) && v === v.toUpperCase()),
  string: test('string', [], (v) => typeof v === 'string'),
  mapping: test('mapping', [], (v) => isDict(v)),
  number: test('number', [], (v) => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat),
  sequence: test('sequence', [], (v) => typeof v === 'string' || Array.isArray(v) || isDict(v)),
  iterable: test('iterable', [], (v) => typeof v === 'string' || Array.isArray(v) || isDict(v)),
  callable: test('callable', [], (v) => v instanceof PyCallable || typeof v === 'function'),
  sameas: test('sameas', [['other', REQUIRED]], (v, [other]) => sameObject(v, other)),
  escaped: test('escaped', [], () => false),
  in: test('in', [['seq', REQUIRED]], (v, [seq]) => contains(seq, v)),
  '==': comparison('eq'),
  eq: comparison('eq'),
  equalto: comparison('eq'),
  '!=': comparison('ne'),
  ne: comparison('ne'),
  '>': comparison('gt'),
  gt: comparison('gt'),
  greaterthan: comparison('gt'),
  '>=': comparison('gteq'),
  ge: comparison('gteq'),
  '<': comparison('lt'),
  lt: comparison('lt'),
  lessthan: comparison('lt'),
  '<=': comparison('lteq'),
  le: comparison('lteq'),
};

// Python's `is`: None, booleans and the cached small ints are singletons; a str or float read from
// the context is never the same object as a literal, and lists and dicts are the same only by reference.
function sameObject(a: unknown, b: unknown): boolean {
  if (a === null || typeof a === 'boolean') return a === b;
  if (typeof a === 'number') return Number.isInteger(a) && a >= -5 && a <= 256 && a === b;
  if (typeof a === 'object') return a === b;
  return false;
}

function range(args: unknown[]): unknown[] {
  const numbers = args.map((a) => {
    if (!isInt(a) && typeof a !== 'boolean') throw typeError(`'${a instanceof PyFloat || typeof a === 'number' ? 'float' : typeof a}' object cannot be interpreted as an integer`);
    return toNumber(a);
  });
  if (numbers.length === 0 || numbers.length > 3) throw typeError(`range expected at most 3 arguments, got ${numbers.length}`);
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0] as number, 1] : [numbers[0] as number, numbers[1] as number, numbers[2] ?? 1];
  if (step === 0) throw typeError('range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_RANGE) throw new JinjaLimitError(`Range too big. The sandbox blocks ranges larger than MAX_RANGE (${MAX_RANGE}).`);
  return owned(Array.from({ length: count }, (_, i) => start + i * step));
}

class Cycler extends PyObject {
  readonly typeName = 'Cycler';
  private position = 0;
  private readonly items: unknown[];
  constructor(items: unknown[]) {
    super();
    this.items = items;
  }
  getAttr(name: string): unknown {
    if (name === 'current') return this.items[this.position];
    if (name === 'reset') return new PyCallable('reset', () => void (this.position = 0));
    if (name === 'next') {
      return new PyCallable('next', () => {
        const value = this.items[this.position];
        this.position = (this.position + 1) % this.items.length;
        return value;
      });
    }
    return NOT_FOUND;
  }
  describe(): string {
    return '<Cycler>';
  }
}

/** jinja2's default globals: range, dict, namespace, cycler, joiner. */
export function defaultGlobals(): Record<string, unknown> {
  return {
    range: new PyCallable('range', (args) => range(args), "<class 'range'>"),
    dict: new PyCallable('dict', (args, kwargs) => newDict([...(isDict(args[0]) ? Object.entries(args[0]) : []), ...Object.entries(kwargs)]), "<class 'dict'>"),
    namespace: new PyCallable(
      'namespace',
      (args, kwargs) => {
        const ns = new Namespace();
        if (isDict(args[0])) Object.assign(ns.attrs, args[0]);
        Object.assign(ns.attrs, kwargs);
        return ns;
      },
      "<class 'jinja2.utils.Namespace'>",
    ),
    cycler: new PyCallable('cycler', (args) => new Cycler(args), "<class 'jinja2.utils.Cycler'>"),
    joiner: new PyCallable('joiner', (args) => {
      const [sep] = bind('joiner', [['sep', ', ']], args, {});
      let used = false;
      return new PyCallable('joiner', () => {
        if (used) return sep;
        used = true;
        return '';
      });
    }),
  };
}
