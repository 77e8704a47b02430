import type { CallEnv, FunctionTable, Lambda } from './dispatch.ts';
import { NO_VALUE } from './dispatch.ts';
import { YaqlFault, YaqlLimitFault } from './errors.ts';
import { MAX_COLLECTION_ITEMS } from './limits.ts';
import { define, p } from './table.ts';
import { hashKey, isIterable, itemsOf, pyEquals, pyList, truthy, tuple, YaqlDict, YaqlIterator } from './values.ts';
import type { YaqlValue } from './values.ts';

type Seq = readonly YaqlValue[];
type Coll = Seq | YaqlIterator;

/** `orderBy()`'s result: sorted by its keys so far, so `thenBy()` can add one. */
class OrderedIterator extends YaqlIterator {
  override readonly ordered = true;
  readonly source: Seq;
  readonly keys: ReadonlyArray<{ selector: Lambda; ascending: boolean }>;
  constructor(source: Seq, keys: ReadonlyArray<{ selector: Lambda; ascending: boolean }>, env: CallEnv) {
    super(sortBy(source, keys, env));
    this.source = source;
    this.keys = keys;
  }
}

/**
 * Queries over collections (yaql's `standard_library/queries.py`): `where`/`filter`,
 * `select`/`map`, `selectMany`, `skip`, `limit`/`take`, `append`, `distinct`, `enumerate`, `any`,
 * `all`, `concat`, `count`, `len`, `memorize`, `sum`, `max`, `min`, `first`, `single`, `last`,
 * `range`, `orderBy`, `orderByDescending`, `thenBy`, `thenByDescending`, `groupBy`, `join`, `zip`,
 * `zipLongest`, `repeat`, `takeWhile`, `skipWhile`, `indexOf`, `lastIndexOf`, `indexWhere`,
 * `lastIndexWhere`, `slice`, `splitWhere`, `sliceWhere`, `splitAt`, `aggregate`/`reduce`,
 * `accumulate`, `reverse`, `mergeWith`, `defaultIfEmpty`. Results are computed at once (yaql's
 * are lazy), so the infinite `sequence()`, `cycle()` and an unbounded `repeat()` are not provided.
 */
export function registerQueries(table: FunctionTable): void {
  type Impl = (args: unknown[], env: CallEnv, kwargs: Map<string, YaqlValue>) => YaqlValue;
  const m = (params: ReturnType<typeof p>[], impl: Impl, rest?: ReturnType<typeof p>) => ({ kind: 'method' as const, params, rest, impl: ({ args, env, kwargs }: { args: unknown[]; env: CallEnv; kwargs: Map<string, YaqlValue> }) => impl(args, env, kwargs) });
  const ext = (params: ReturnType<typeof p>[], impl: Impl, rest?: ReturnType<typeof p>) => ({ ...m(params, impl, rest), kind: 'extension' as const });
  const coll = p('collection', 'iterable');
  const lambda = (name: string) => p(name, 'lambda');
  const items = (c: unknown): Seq => itemsOf(c as Coll);
  const iter = (values: YaqlValue[]): YaqlIterator => new YaqlIterator(values);

  const where = m([coll, lambda('predicate')], ([c, f]) => iter(items(c).filter((t) => truthy((f as Lambda)(t)))));
  const select = m([coll, lambda('selector')], ([c, f]) => iter(items(c).map((t) => (f as Lambda)(t))));
  define(table, 'where', where);
  define(table, 'filter', where);
  define(table, 'select', select);
  define(table, 'map', select);
  define(table, 'selectMany', m([coll, lambda('selector')], ([c, f]) => iter(items(c).flatMap((t) => {
    const inner = (f as Lambda)(t);
    return isIterable(inner) ? [...itemsOf(inner)] : [inner];
  }))));
  define(table, 'skip', m([coll, p('count', 'int', { nullable: false })], ([c, n]) => iter(items(c).slice(sliceCount(n as number)))));
  const limit = m([coll, p('count', 'int', { nullable: false })], ([c, n]) => iter(items(c).slice(0, sliceCount(n as number))));
  define(table, 'limit', limit);
  define(table, 'take', limit);
  define(table, 'append', ext([coll], (args) => iter([...items(args[0]), ...(args.slice(1) as YaqlValue[])]), p('args', 'any')));
  define(table, 'distinct', ext([coll, p('keySelector', 'lambda', { default: null })], ([c, f]) => {
    const seen = new Set<string>();
    return iter(items(c).filter((t) => {
      const key = hashKey(f === null ? t : (f as Lambda)(t));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }));
  }));
  define(table, 'enumerate', ext([coll, p('start', 'int', { default: 0 })], ([c, start]) => iter(items(c).map((t, i) => pyList([(start as number) + i, t])))));
  define(table, 'any', ext([coll, p('predicate', 'lambda', { default: null })], ([c, f]) => items(c).some((t) => (f === null ? true : truthy((f as Lambda)(t))))));
  define(table, 'all', ext([coll, p('predicate', 'lambda', { default: null })], ([c, f]) => items(c).every((t) => truthy(f === null ? t : (f as Lambda)(t)))));
  define(table, 'concat', ext([], (args) => iter((args as Coll[]).flatMap((a) => [...itemsOf(a)])), p('collections', 'iterable')));
  define(table, 'count', m([coll], ([c]) => items(c).length));
  define(table, 'memorize', m([coll], ([c]) => c as Coll));
  define(table, 'sum', m([coll, p('initial', 'any', { default: NO_VALUE })], ([c, init], env) => reduce(items(c), (a, b) => env.invoke('#operator_+', [a, b]), init)));
  define(table, 'max', m([coll, p('initial', 'any', { default: NO_VALUE })], ([c, init], env) => reduce(items(c), (a, b) => env.invoke('max', [a, b]), init)));
  define(table, 'min', m([coll, p('initial', 'any', { default: NO_VALUE })], ([c, init], env) => reduce(items(c), (a, b) => env.invoke('min', [a, b]), init)));
  define(table, 'first', m([coll, p('default', 'any', { default: NO_VALUE })], ([c, def]) => {
    const list = items(c);
    if (list.length > 0) return list[0] as YaqlValue;
    if (def === NO_VALUE) throw new YaqlFault('StopIteration', 'the collection is empty');
    return def as YaqlValue;
  }));
  define(table, 'last', m([coll, p('default', 'any', { default: NO_VALUE })], ([c, def]) => {
    const list = items(c);
    if (list.length > 0) return list[list.length - 1] as YaqlValue;
    if (def === NO_VALUE) throw new YaqlFault('StopIteration', 'the collection is empty');
    return def as YaqlValue;
  }));
  define(table, 'single', m([coll], ([c]) => {
    const list = items(c);
    if (list.length !== 1) throw new YaqlFault('StopIteration', list.length === 0 ? 'the collection is empty' : 'Collection contains more than one item');
    return list[0] as YaqlValue;
  }));
  define(
    table,
    'range',
    { kind: 'function', params: [p('stop', 'int')], impl: ({ args }) => iter(range(0, args[0] as number, 1)) },
    { kind: 'function', params: [p('start', 'int'), p('stop', 'int'), p('step', 'int', { default: 1 })], impl: ({ args }) => iter(range(args[0] as number, args[1] as number, args[2] as number)) },
  );
  const order = (ascending: boolean) => m([coll, lambda('selector')], ([c, f], env) => new OrderedIterator([...items(c)], [{ selector: f as Lambda, ascending }], env));
  define(table, 'orderBy', order(true));
  define(table, 'orderByDescending', order(false));
  const thenBy = (ascending: boolean) => ({
    kind: 'method' as const,
    params: [p('collection', 'any'), lambda('selector')],
    impl: ({ args, env }: { args: unknown[]; env: CallEnv }) => {
      const ordered = args[0];
      if (!(ordered instanceof OrderedIterator)) throw new YaqlFault('NoMatchingMethodException', 'thenBy() applies to the result of orderBy()');
      return new OrderedIterator(ordered.source, [...ordered.keys, { selector: args[1] as Lambda, ascending }], env);
    },
  });
  define(table, 'thenBy', thenBy(true));
  define(table, 'thenByDescending', thenBy(false));
  define(table, 'groupBy', m([coll, lambda('keySelector'), p('valueSelector', 'lambda', { default: null }), p('aggregator', 'lambda', { default: null })], ([c, key, value, aggregate]) => {
    const groups = new YaqlDict();
    const lists = new Map<string, YaqlValue[]>();
    for (const t of items(c)) {
      const k = (key as Lambda)(t);
      const hash = hashKey(k);
      let list = lists.get(hash);
      if (list === undefined) {
        list = [];
        lists.set(hash, list);
        groups.set(k, null);
      }
      list.push(value === null ? t : (value as Lambda)(t));
    }
    return iter(groups.keys().map((k) => {
      const members = pyList(lists.get(hashKey(k)) as YaqlValue[]);
      return tuple([k, aggregate === null ? members : (aggregate as Lambda)(members)]);
    }));
  }));
  define(table, 'join', m([p('collection1', 'iterable'), p('collection2', 'iterable'), lambda('predicate'), lambda('selector')], ([a, b, pred, sel], env) => {
    const out: YaqlValue[] = [];
    for (const x of items(a)) {
      for (const y of items(b)) {
        env.tick();
        if (truthy((pred as Lambda)(x, y))) out.push((sel as Lambda)(x, y));
      }
    }
    return iter(out);
  }));
  define(table, 'zip', m([], (args) => iter(zip(args as Coll[], false, null)), p('collections', 'iterable')));
  define(table, 'zipLongest', { ...m([], (args, _env, kwargs) => iter(zip(args as Coll[], true, kwargs.get('default') ?? null)), p('collections', 'iterable')), kwargs: p('default', 'any') });
  define(table, 'repeat', m([p('value', 'any'), p('times', 'int', { default: -1 })], ([v, times]) => {
    if ((times as number) < 0) throw new YaqlLimitFault('repeat() without a count never ends');
    if ((times as number) > MAX_COLLECTION_ITEMS) throw new YaqlLimitFault(`repeat() of more than ${MAX_COLLECTION_ITEMS} items`);
    return iter(Array.from({ length: times as number }, () => v as YaqlValue));
  }));
  define(table, 'takeWhile', m([coll, lambda('predicate')], ([c, f]) => {
    const list = items(c);
    const stop = list.findIndex((t) => !truthy((f as Lambda)(t)));
    return iter(stop < 0 ? [...list] : list.slice(0, stop));
  }));
  define(table, 'skipWhile', m([coll, lambda('predicate')], ([c, f]) => {
    const list = items(c);
    const start = list.findIndex((t) => !truthy((f as Lambda)(t)));
    return iter(start < 0 ? [] : list.slice(start));
  }));
  define(table, 'indexOf', m([coll, p('item', 'any')], ([c, v]) => items(c).findIndex((t) => pyEquals(t, v as YaqlValue))));
  define(table, 'lastIndexOf', m([coll, p('item', 'any')], ([c, v]) => items(c).findLastIndex((t) => pyEquals(t, v as YaqlValue))));
  define(table, 'indexWhere', m([coll, lambda('predicate')], ([c, f]) => items(c).findIndex((t) => truthy((f as Lambda)(t)))));
  define(table, 'lastIndexWhere', m([coll, lambda('predicate')], ([c, f]) => items(c).findLastIndex((t) => truthy((f as Lambda)(t)))));
  define(table, 'slice', m([coll, p('length', 'int')], ([c, n]) => {
    const list = items(c);
    if ((n as number) <= 0) throw new YaqlLimitFault('slice() of a length below 1 never ends');
    const out: YaqlValue[] = [];
    for (let i = 0; i < list.length; i += n as number) out.push(tuple(list.slice(i, i + (n as number))));
    return iter(out);
  }));
  define(table, 'splitWhere', m([coll, lambda('predicate')], ([c, f]) => iter(splitWhere(items(c), f as Lambda))));
  define(table, 'sliceWhere', m([coll, lambda('predicate')], ([c, f]) => iter(sliceWhere(items(c), f as Lambda))));
  define(table, 'splitAt', m([coll, p('index', 'int')], ([c, i]) => {
    const list = items(c);
    const at = (i as number) < 0 ? Math.max(0, list.length + (i as number)) : (i as number);
    return pyList([tuple(list.slice(0, at)), tuple(list.slice(at))]);
  }));
  const aggregate = m([coll, lambda('selector'), p('seed', 'any', { default: NO_VALUE })], ([c, f, seed]) => reduce(items(c), (a, b) => (f as Lambda)(a, b), seed));
  define(table, 'aggregate', aggregate);
  define(table, 'reduce', aggregate);
  define(table, 'accumulate', m([coll, lambda('selector'), p('seed', 'any', { default: NO_VALUE })], ([c, f, seed]) => {
    const list = [...items(c)];
    if (seed === NO_VALUE && list.length === 0) throw new YaqlFault('TypeError', 'accumulate() of empty sequence with no initial value');
    let total = seed === NO_VALUE ? (list.shift() as YaqlValue) : (seed as YaqlValue);
    const out = [total];
    for (const x of list) out.push((total = (f as Lambda)(total, x)));
    return iter(out);
  }));
  define(table, 'reverse', m([coll], ([c]) => iter([...items(c)].reverse())));
  define(table, 'defaultIfEmpty', m([coll, p('default', 'iterable')], ([c, def]) => (items(c).length === 0 ? (def as Coll) : (c as Coll))));
  define(table, 'mergeWith', m(
    [p('dict', 'mapping'), p('another', 'mapping'), p('listMerger', 'lambda', { default: null }), p('itemMerger', 'lambda', { default: null }), p('maxLevels', 'int', { default: 0 })],
    ([a, b, listMerger, itemMerger, levels], env) => mergeDicts(a as YaqlDict, b as YaqlDict, listMerger as Lambda | null, itemMerger as Lambda | null, levels as number, env),
  ));
}

/** itertools.islice's bound: a count below zero is an error, not an empty slice. */
function sliceCount(count: number): number {
  if (count < 0) throw new YaqlFault('ValueError', 'a count for skip() or limit() must be 0 or more');
  return count;
}

function reduce(list: Seq, op: (a: YaqlValue, b: YaqlValue) => YaqlValue, seed: unknown): YaqlValue {
  if (seed === NO_VALUE && list.length === 0) throw new YaqlFault('TypeError', 'reduce() of empty sequence with no initial value');
  let acc = seed === NO_VALUE ? (list[0] as YaqlValue) : (seed as YaqlValue);
  for (const item of seed === NO_VALUE ? list.slice(1) : list) acc = op(acc, item);
  return acc;
}

function range(start: number, stop: number, step: number): YaqlValue[] {
  if (step === 0) throw new YaqlFault('ValueError', 'range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_COLLECTION_ITEMS) throw new YaqlLimitFault(`range() of more than ${MAX_COLLECTION_ITEMS} items`);
  return Array.from({ length: count }, (_, i) => start + i * step);
}

/** Stable sort by each key in turn, compared with yaql's own `<` and `>`. */
function sortBy(source: Seq, keys: ReadonlyArray<{ selector: Lambda; ascending: boolean }>, env: CallEnv): YaqlValue[] {
  const decorated = source.map((item) => ({ item, keys: keys.map((k) => k.selector(item)) }));
  decorated.sort((x, y) => {
    for (const [i, key] of keys.entries()) {
      const a = x.keys[i] as YaqlValue;
      const b = y.keys[i] as YaqlValue;
      let result = 0;
      if (truthy(env.invoke('#operator_<', [a, b]))) result = -1;
      else if (truthy(env.invoke('#operator_>', [a, b]))) result = 1;
      if (result !== 0) return key.ascending ? result : -result;
    }
    return 0;
  });
  return decorated.map((d) => d.item);
}

function zip(collections: Coll[], longest: boolean, fill: YaqlValue): YaqlValue[] {
  const lists = collections.map((c) => itemsOf(c));
  const lengths = lists.map((l) => l.length);
  const n = lists.length === 0 ? 0 : longest ? Math.max(...lengths) : Math.min(...lengths);
  return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => (i < l.length ? (l[i] as YaqlValue) : fill))));
}

function splitWhere(list: Seq, f: Lambda): YaqlValue[] {
  const out: YaqlValue[] = [];
  let start = 0;
  list.forEach((t, end) => {
    if (truthy(f(t))) {
      out.push(tuple(list.slice(start, end)));
      start = end + 1;
    }
  });
  if (start !== list.length) out.push(tuple(list.slice(start)));
  return out;
}

function sliceWhere(list: Seq, f: Lambda): YaqlValue[] {
  const out: YaqlValue[] = [];
  let start = 0;
  let previous: YaqlValue | undefined;
  list.forEach((t, end) => {
    const current = f(t);
    if (previous !== undefined && !pyEquals(current, previous)) {
      out.push(tuple(list.slice(start, end)));
      start = end;
    }
    previous = current;
  });
  if (start !== list.length) out.push(tuple(list.slice(start)));
  return out;
}

function mergeDicts(a: YaqlDict, b: YaqlDict, listMerger: Lambda | null, itemMerger: Lambda | null, levels: number, env: CallEnv, depth = 0): YaqlDict {
  if (depth > 256) throw new YaqlLimitFault('mergeWith() nests deeper than 256 levels');
  const result = new YaqlDict([], true);
  for (const [key, v1] of a.items()) {
    result.set(key, v1);
    const v2 = b.get(key);
    if (v2 === undefined) continue;
    if (levels !== 1 && v2 instanceof YaqlDict) {
      if (!(v1 instanceof YaqlDict)) throw new YaqlFault('TypeError', `cannot merge a ${typeof v1} with a dict`);
      result.set(key, mergeDicts(v1, v2, listMerger, itemMerger, levels === 0 ? 0 : levels - 1, env, depth + 1));
    } else if (levels !== 1 && Array.isArray(v2)) {
      if (!Array.isArray(v1)) throw new YaqlFault('TypeError', 'cannot merge a list with a non-list');
      const merged = listMerger === null ? distinctTuple([...(v1 as Seq), ...(v2 as Seq)]) : listMerger(v1 as Seq, v2 as Seq);
      result.set(key, merged);
    } else {
      result.set(key, itemMerger === null ? v2 : itemMerger(v1, v2));
    }
  }
  for (const [key, v2] of b.items()) if (!result.has(key)) result.set(key, v2);
  env.tick();
  return result;
}

function distinctTuple(items: YaqlValue[]): YaqlValue {
  const seen = new Set<string>();
  return tuple(items.filter((t) => {
    const key = hashKey(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }));
}
