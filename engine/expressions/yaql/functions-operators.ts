import type { CallArg, FunctionTable, Lambda } from './dispatch.ts';
import { unknown } from './dispatch.ts';
import { YaqlFault, YaqlLimitFault } from './errors.ts';
import { MAX_STRING_CHARS } from './limits.ts';
import { add, compareValues, divide, modulo, multiply, negate, subtract } from './python-math.ts';
import type { PyNumber } from './python-math.ts';
import type { Scope } from './scope.ts';
import { define, p } from './table.ts';
import { isPyList, itemsOf, pyEquals, pyList, truthy, tuple, YaqlDict, YaqlIterator } from './values.ts';
import type { YaqlValue , MappingPair, ScopeRef, YaqlRegex } from './values.ts';
import { searchRegex, toRegex } from './functions-regex.ts';

type Seq = readonly YaqlValue[];

/**
 * Operators and the syntax built on functions: `.` (key access, method calls, attribute of every
 * item), `?.`, `->`, indexing, list and dict literals, `and or not`, `= !=`, comparisons, arithmetic,
 * `in`, `=~ !~`. Overloads are yaql 1.1's (`standard_library/{system,common,math,collections,
 * strings,boolean,regex}.py`); date/time and set overloads are not provided.
 */
export function registerOperators(table: FunctionTable, fallback: FunctionTable): void {
  define(
    table,
    '#operator_.',
    { kind: 'function', params: [p('receiver', 'any'), p('expr', 'methodLambda')], impl: ({ args }) => (args[1] as (r: YaqlValue) => YaqlValue)(args[0] as YaqlValue) },
    { kind: 'function', params: [p('dict', 'mapping'), p('key', 'keyword')], impl: ({ args }) => keyOf(args[0] as YaqlDict, args[1] as string) },
    {
      kind: 'function',
      params: [p('collection', 'iterable'), p('attribute', 'keywordNode')],
      impl: ({ args, env }) =>
        new YaqlIterator(itemsOf(args[0] as Seq).map((item) => env.dispatch('#operator_.', [{ value: item }, args[1] as CallArg]))),
    },
  );
  // Below every other layer: `x.name` on anything else asks for a property no value has.
  define(fallback, '#operator_.', {
    kind: 'function',
    params: [p('obj', 'any'), p('name', 'keyword')],
    impl: ({ args }) => {
      throw unknown(`#property#${args[1] as string}`, undefined);
    },
  });
  define(table, '#operator_?.', {
    kind: 'function',
    params: [p('receiver', 'any'), p('expr', 'expression')],
    impl: ({ args, env }) => (args[0] === null ? null : env.dispatch('#operator_.', [{ value: args[0] as YaqlValue }, { node: args[1] as never }])),
  });
  define(table, '#operator_->', {
    kind: 'function',
    params: [p('left', 'scope'), p('right', 'contextLambda')],
    impl: ({ args }) => (args[1] as (s: Scope) => YaqlValue)((args[0] as ScopeRef).scope as Scope),
  });

  define(
    table,
    '#indexer',
    { kind: 'function', params: [p('dict', 'mapping'), p('key', 'any')], impl: ({ args }) => indexDict(args[0] as YaqlDict, args[1] as YaqlValue) },
    {
      kind: 'function',
      params: [p('dict', 'mapping'), p('key', 'any'), p('default', 'any')],
      impl: ({ args }) => (args[0] as YaqlDict).get(args[1] as YaqlValue) ?? (args[2] as YaqlValue),
    },
    { kind: 'function', params: [p('list', 'sequence'), p('index', 'int', { nullable: false })], impl: ({ args }) => indexList(args[0] as Seq, args[1] as number) },
  );
  define(table, '#list', { kind: 'function', params: [], rest: p('args', 'any'), impl: ({ args }) => tuple(args as YaqlValue[]) });
  const dictOfPairs = { kind: 'function' as const, params: [], rest: p('args', 'pair'), noKwargs: true, impl: ({ args }: { args: unknown[] }) => new YaqlDict((args as MappingPair[]).map((pair) => [pair.source, pair.destination])) };
  define(table, '#map', dictOfPairs);

  define(table, '#operator_and', { kind: 'function', params: [p('left', 'lambda'), p('right', 'lambda')], impl: ({ args }) => {
    const left = (args[0] as Lambda)();
    return truthy(left) ? (args[1] as Lambda)() : left;
  } });
  define(table, '#operator_or', { kind: 'function', params: [p('left', 'lambda'), p('right', 'lambda')], impl: ({ args }) => {
    const left = (args[0] as Lambda)();
    return truthy(left) ? left : (args[1] as Lambda)();
  } });
  define(table, '#unary_operator_not', { kind: 'function', params: [p('arg', 'any')], impl: ({ args }) => !truthy(args[0] as YaqlValue) });
  define(table, '*equal', { kind: 'function', params: [p('left', 'any'), p('right', 'any')], impl: ({ args }) => pyEquals(args[0] as YaqlValue, args[1] as YaqlValue) });
  define(table, '*not_equal', { kind: 'function', params: [p('left', 'any'), p('right', 'any')], impl: ({ args }) => !pyEquals(args[0] as YaqlValue, args[1] as YaqlValue) });

  const comparisons: Array<[string, (d: number) => boolean, boolean, boolean, boolean]> = [
    // operator, on numbers/strings, value-vs-null, null-vs-value, null-vs-null
    ['<', (d) => d < 0, false, true, false],
    ['<=', (d) => d <= 0, false, true, true],
    ['>', (d) => d > 0, true, false, false],
    ['>=', (d) => d >= 0, true, false, true],
  ];
  for (const [op, test, valueNull, nullValue, nullNull] of comparisons) {
    const compare = ({ args }: { args: unknown[] }): boolean => test(compareValues(args[0] as PyNumber, args[1] as PyNumber));
    define(
      table,
      `#operator_${op}`,
      { kind: 'function', params: [p('left', 'number'), p('right', 'number')], impl: compare },
      { kind: 'function', params: [p('left', 'string'), p('right', 'string')], impl: compare },
      { kind: 'function', params: [p('left', 'any', { nullable: false }), p('right', 'any', { nullable: true })], impl: ({ args }) => (args[1] === null ? valueNull : noOrder()) },
      { kind: 'function', params: [p('left', 'any', { nullable: true }), p('right', 'any', { nullable: false })], impl: ({ args }) => (args[0] === null ? nullValue : noOrder()) },
      { kind: 'function', params: [p('left', 'any'), p('right', 'any')], impl: ({ args }) => (args[0] === null && args[1] === null ? nullNull : noOrder()) },
    );
  }

  const arithmetic: Array<[string, (a: PyNumber, b: PyNumber) => PyNumber]> = [
    ['-', subtract],
    ['/', divide],
    ['mod', modulo],
  ];
  for (const [op, fn] of arithmetic) {
    define(table, `#operator_${op}`, { kind: 'function', params: [p('left', 'number'), p('right', 'number')], impl: ({ args }) => fn(args[0] as PyNumber, args[1] as PyNumber) });
  }
  define(
    table,
    '#operator_+',
    { kind: 'function', params: [p('left', 'number'), p('right', 'number')], impl: ({ args }) => add(args[0] as PyNumber, args[1] as PyNumber) },
    { kind: 'function', params: [p('left', 'string'), p('right', 'string')], impl: ({ args }) => joinStrings([args[0] as string, args[1] as string]) },
    { kind: 'function', params: [p('left', 'iterable'), p('right', 'iterable')], impl: ({ args }) => concatTwo(args[0] as Seq | YaqlIterator, args[1] as Seq | YaqlIterator) },
    { kind: 'function', params: [p('left', 'mapping'), p('right', 'mapping')], impl: ({ args }) => new YaqlDict([...(args[0] as YaqlDict).items(), ...(args[1] as YaqlDict).items()]) },
  );
  define(
    table,
    '#operator_*',
    { kind: 'function', params: [p('left', 'number'), p('right', 'number')], impl: ({ args }) => multiply(args[0] as PyNumber, args[1] as PyNumber) },
    { kind: 'function', params: [p('left', 'sequence'), p('right', 'int')], impl: ({ args }) => repeatList(args[0] as Seq, args[1] as number) },
    { kind: 'function', params: [p('left', 'int'), p('right', 'sequence')], impl: ({ args }) => repeatList(args[1] as Seq, args[0] as number) },
    { kind: 'function', params: [p('left', 'string'), p('right', 'int')], impl: ({ args }) => repeatString(args[0] as string, args[1] as number) },
    { kind: 'function', params: [p('left', 'int'), p('right', 'string')], impl: ({ args }) => repeatString(args[1] as string, args[0] as number) },
  );
  define(table, '#unary_operator_-', { kind: 'function', params: [p('op', 'number')], impl: ({ args }) => negate(args[0] as PyNumber) });
  define(table, '#unary_operator_+', { kind: 'function', params: [p('op', 'number')], impl: ({ args }) => args[0] as PyNumber });
  define(
    table,
    '#operator_in',
    { kind: 'function', params: [p('left', 'string'), p('right', 'string')], impl: ({ args }) => (args[1] as string).includes(args[0] as string) },
    { kind: 'function', params: [p('value', 'any'), p('collection', 'iterable')], impl: ({ args }) => itemsOf(args[1] as Seq).some((item) => pyEquals(args[0] as YaqlValue, item)) },
  );
  for (const [op, negated] of [['=~', false], ['!~', true]] as const) {
    define(
      table,
      `#operator_${op}`,
      { kind: 'function', params: [p('string', 'string'), p('regexp', 'regex')], impl: ({ args }) => (searchRegex(args[1] as YaqlRegex, args[0] as string) !== null) !== negated },
      { kind: 'function', params: [p('string', 'string'), p('pattern', 'string')], impl: ({ args }) => (searchRegex(toRegex(args[1] as string), args[0] as string) !== null) !== negated },
    );
  }
}

function noOrder(): never {
  throw new YaqlFault('NoMatchingFunctionException', 'no comparison of these types');
}

function keyOf(dict: YaqlDict, key: string): YaqlValue {
  const value = dict.get(key);
  if (value === undefined) throw new YaqlFault('KeyError', `key '${key}' is not in the dict`);
  return value;
}

function indexDict(dict: YaqlDict, key: YaqlValue): YaqlValue {
  const value = dict.get(key);
  if (value === undefined) throw new YaqlFault('KeyError', typeof key === 'string' ? `key '${key.slice(0, 60)}' is not in the dict` : 'the key is not in the dict');
  return value;
}

/** Python indexing: negative counts from the end. */
export function indexList(list: Seq, index: number): YaqlValue {
  const at = index < 0 ? list.length + index : index;
  if (at < 0 || at >= list.length) throw new YaqlFault('IndexError', `${isPyList(list) ? 'list' : 'tuple'} index out of range`);
  return list[at] as YaqlValue;
}

/** `+` on two collections: tuples give a tuple, anything else a lazy chain, as in yaql. */
export function concatTwo(left: Seq | YaqlIterator, right: Seq | YaqlIterator): YaqlValue {
  const items = [...itemsOf(left), ...itemsOf(right)];
  const isTuple = (v: Seq | YaqlIterator): boolean => Array.isArray(v) && !isPyList(v as Seq);
  return isTuple(left) && isTuple(right) ? tuple(items) : new YaqlIterator(items);
}

function repeatList(list: Seq, times: number): YaqlValue {
  const items: YaqlValue[] = [];
  for (let i = 0; i < times; i += 1) {
    items.push(...list);
    if (items.length > 1_000_000) throw new YaqlLimitFault('repeated list is too long');
  }
  return isPyList(list) ? pyList(items) : tuple(items);
}

function repeatString(text: string, times: number): string {
  if (times <= 0) return '';
  if (text.length * times > MAX_STRING_CHARS) throw new YaqlLimitFault(`repeated string is longer than ${MAX_STRING_CHARS} characters`);
  return text.repeat(times);
}

/** Concatenation bounded by the string limit. */
export function joinStrings(parts: string[], separator = ''): string {
  const length = parts.reduce((sum, part) => sum + part.length, 0) + separator.length * Math.max(0, parts.length - 1);
  if (length > MAX_STRING_CHARS) throw new YaqlLimitFault(`string is longer than ${MAX_STRING_CHARS} characters`);
  return parts.join(separator);
}
