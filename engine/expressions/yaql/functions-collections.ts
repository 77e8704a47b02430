import type { FunctionTable, Lambda } from './dispatch.ts';
import { YaqlFault, YaqlLimitFault } from './errors.ts';
import { define, p } from './table.ts';
import { hashKey, isIterable, isPyList, itemsOf, pyEquals, pyList, tuple, YaqlDict, YaqlIterator } from './values.ts';
import type { YaqlValue , MappingPair} from './values.ts';

type Seq = readonly YaqlValue[];
type Coll = Seq | YaqlIterator;

/**
 * Lists and dicts (yaql's `standard_library/collections.py`): `list`, `flatten`, `toList`, `dict`,
 * `toDict`, `get`, `set`, `keys`, `values`, `items`, `len`, `contains`, `containsKey`,
 * `containsValue`, `delete`, `deleteAll`, `insert`, `insertMany`, `replace`, `replaceMany`,
 * `isList`, `isDict`. Sets (`set()`, `toSet()`, `union`…) are not provided.
 */
export function registerCollections(table: FunctionTable): void {
  const method = (params: ReturnType<typeof p>[], impl: (args: unknown[]) => YaqlValue) => ({ kind: 'method' as const, params, impl: ({ args }: { args: unknown[] }) => impl(args) });
  const coll = p('collection', 'iterable');
  const dict = p('dict', 'mapping');

  // list(a, b) makes a list of its arguments, spreading any that is an iterator.
  define(table, 'list', { kind: 'function', params: [], rest: p('args', 'any'), impl: ({ args }) =>
    tuple((args as YaqlValue[]).flatMap((a) => (a instanceof YaqlIterator ? [...a.items] : [a]))) });
  define(table, 'flatten', method([coll], ([c]) => new YaqlIterator(flatten(c as Coll, 0))));
  define(table, 'toList', method([coll], ([c]) => (Array.isArray(c) && !isPyList(c as Seq) ? (c as Seq) : tuple([...itemsOf(c as Coll)]))));
  define(
    table,
    'dict',
    { kind: 'function', params: [], rest: p('args', 'pair'), noKwargs: true, impl: ({ args }) => new YaqlDict((args as MappingPair[]).map((m) => [m.source, m.destination])) },
    { kind: 'function', params: [p('items', 'iterable')], noKwargs: true, impl: ({ args }) => new YaqlDict(itemsOf(args[0] as Coll).map(pairOf)) },
  );
  define(table, 'toDict', method([coll, p('keySelector', 'lambda'), p('valueSelector', 'lambda', { default: null })], ([c, key, value]) =>
    new YaqlDict(itemsOf(c as Coll).map((t) => [(key as Lambda)(t), value === null ? t : (value as Lambda)(t)]), true)));
  define(table, 'get', method([dict, p('key', 'any'), p('default', 'any', { default: null })], ([d, k, def]) => (d as YaqlDict).get(k as YaqlValue) ?? (def as YaqlValue)));
  const withEntries = (d: YaqlDict, extra: Array<[YaqlValue, YaqlValue]>): YaqlDict => new YaqlDict([...d.items(), ...extra]);
  // Most specific first, as yaql prefers: pairs over a key and a value that could be anything.
  define(
    table,
    'set',
    { kind: 'method', noKwargs: true, params: [dict, p('replacements', 'mapping')], impl: ({ args }) => withEntries(args[0] as YaqlDict, (args[1] as YaqlDict).items()) },
    { kind: 'method', noKwargs: true, params: [dict], rest: p('args', 'pair'), impl: ({ args }) => withEntries(args[0] as YaqlDict, (args.slice(1) as MappingPair[]).map((m) => [m.source, m.destination])) },
    { kind: 'method', noKwargs: true, params: [dict, p('key', 'any'), p('value', 'any')], impl: ({ args }) => withEntries(args[0] as YaqlDict, [[args[1] as YaqlValue, args[2] as YaqlValue]]) },
  );
  define(table, 'keys', method([dict], ([d]) => new YaqlIterator((d as YaqlDict).keys())));
  define(table, 'values', method([dict], ([d]) => new YaqlIterator((d as YaqlDict).values())));
  define(table, 'items', method([dict], ([d]) => new YaqlIterator((d as YaqlDict).items().map((pair) => tuple(pair)))));
  define(
    table,
    'len',
    { kind: 'extension', params: [dict], impl: ({ args }) => (args[0] as YaqlDict).size },
    { kind: 'extension', params: [p('sequence', 'sequence')], impl: ({ args }) => (args[0] as Seq).length },
    { kind: 'extension', params: [p('collection', 'iterator')], impl: ({ args }) => (args[0] as YaqlIterator).items.length },
  );
  define(table, 'contains', method([coll, p('value', 'any')], ([c, v]) => itemsOf(c as Coll).some((t) => pyEquals(t, v as YaqlValue))));
  define(table, 'containsKey', method([dict, p('key', 'any')], ([d, k]) => (d as YaqlDict).has(k as YaqlValue)));
  define(table, 'containsValue', method([dict, p('value', 'any')], ([d, v]) => (d as YaqlDict).values().some((t) => pyEquals(t, v as YaqlValue))));
  define(
    table,
    'delete',
    method([coll, p('position', 'int'), p('count', 'int', { default: 1 })], ([c, position, count]) =>
      new YaqlIterator(itemsOf(c as Coll).filter((_, i) => !inRange(i, position as number, count as number)))),
    { kind: 'method', params: [dict], rest: p('keys', 'any'), impl: ({ args }) => without(args[0] as YaqlDict, args.slice(1) as YaqlValue[]) },
  );
  define(table, 'deleteAll', method([dict, p('keys', 'iterable')], ([d, keys]) => without(d as YaqlDict, itemsOf(keys as Coll))));
  define(
    table,
    'insert',
    method([p('collection', 'sequence'), p('position', 'int'), p('value', 'any')], ([c, position, value]) => {
      const copy = [...(c as Seq)];
      const n = copy.length;
      const at = (position as number) < 0 ? Math.max(0, n + (position as number)) : Math.min(n, position as number);
      copy.splice(at, 0, value as YaqlValue);
      return pyList(copy);
    }),
    method([coll, p('position', 'int'), p('value', 'any')], ([c, position, value]) => new YaqlIterator(insertAt(itemsOf(c as Coll), position as number, [value as YaqlValue]))),
  );
  define(table, 'insertMany', method([coll, p('position', 'int'), p('values', 'iterable')], ([c, position, values]) =>
    new YaqlIterator(insertAt(itemsOf(c as Coll), position as number, itemsOf(values as Coll), true))));
  define(table, 'replace', method([coll, p('position', 'int'), p('value', 'any'), p('count', 'int', { default: 1 })], ([c, position, value, count]) =>
    new YaqlIterator(replaceRange(itemsOf(c as Coll), position as number, count as number, [value as YaqlValue]))));
  define(table, 'replaceMany', method([coll, p('position', 'int'), p('values', 'iterable'), p('count', 'int', { default: 1 })], ([c, position, values, count]) =>
    new YaqlIterator(replaceRange(itemsOf(c as Coll), position as number, count as number, itemsOf(values as Coll)))));
  define(table, 'isList', { kind: 'function', params: [p('arg', 'any')], impl: ({ args }) => Array.isArray(args[0]) });
  define(table, 'isDict', { kind: 'function', params: [p('arg', 'any')], impl: ({ args }) => args[0] instanceof YaqlDict });
  define(table, 'isIterable', { kind: 'function', params: [p('value', 'any')], impl: ({ args }) => isIterable(args[0] as YaqlValue) });
}

function flatten(collection: Coll, depth: number): YaqlValue[] {
  if (depth > 256) throw new YaqlLimitFault('flatten nests deeper than 256 levels');
  return itemsOf(collection).flatMap((t) => (isIterable(t) ? flatten(t, depth + 1) : [t]));
}

/** An item of `dict([[k, v], …])`: its first two elements (a string's first two characters). */
function pairOf(item: YaqlValue): [YaqlValue, YaqlValue] {
  const parts = typeof item === 'string' ? Array.from(item) : isIterable(item) ? itemsOf(item) : item instanceof YaqlDict ? item.keys() : undefined;
  if (parts === undefined) throw new YaqlFault('TypeError', 'a dict() item must be a pair, not a single value');
  if (parts.length < 2) throw new YaqlFault('StopIteration', 'a dict() item has fewer than two elements');
  return [parts[0] as YaqlValue, parts[1] as YaqlValue];
}

function inRange(i: number, position: number, count: number): boolean {
  return count >= 0 ? position <= i && i < position + count : i >= position;
}

function without(d: YaqlDict, keys: readonly YaqlValue[]): YaqlDict {
  const drop = new Set(keys.map((k) => hashKey(k)));
  return new YaqlDict(d.items().filter(([k]) => !drop.has(hashKey(k))), true);
}

function insertAt(items: Seq, position: number, values: Seq, many = false): YaqlValue[] {
  const out: YaqlValue[] = many && position < 0 ? [...values] : [];
  items.forEach((t, i) => {
    if (i === position) out.push(...values);
    out.push(t);
  });
  if (position > items.length - 1) out.push(...values);
  return out;
}

function replaceRange(items: Seq, position: number, count: number, values: Seq): YaqlValue[] {
  const out: YaqlValue[] = [];
  let replaced = false;
  items.forEach((t, i) => {
    if (inRange(i, position, count)) {
      if (!replaced) out.push(...values);
      replaced = true;
    } else {
      out.push(t);
    }
  });
  return out;
}
