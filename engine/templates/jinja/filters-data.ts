/** jinja2's built-in filters over numbers, sequences and mappings (jinja2/filters.py, 3.1). */
import { REQUIRED } from './arguments.ts';
import { attributeOnly } from './attributes.ts';
import { roundHalfEven } from './decimal.ts';
import { attrGetter, filter, ignoreCase, parseFloatText, parseIntText, sortBy, text } from './filter-support.ts';
import { JinjaRuntimeError, typeError } from './jinja-errors.ts';
import { binary, pyCompare, pyEquals } from './operators.ts';
import type { Filter, FilterContext } from './runtime.ts';
import { PyFloat, Undefined, codePoints, isDict, isFloat, isNumeric, makeFloat, namedTuple, owned, strLength, toNumber, truthy, tuple, typeName } from './values.ts';

function items(ctx: FilterContext, value: unknown): unknown[] {
  return ctx.iterate(value);
}

function length(value: unknown): number {
  if (value instanceof Undefined) {
    if (value.mode === 'strict') throw value.fail();
    return 0;
  }
  if (typeof value === 'string') return strLength(value);
  if (Array.isArray(value)) return value.length;
  if (isDict(value)) return Object.keys(value).length;
  throw typeError(`object of type '${typeName(value)}' has no len()`);
}

function toInt(value: unknown, fallback: unknown, base: number): unknown {
  if (typeof value === 'string') {
    const parsed = parseIntText(value, base);
    if (parsed !== undefined) return parsed;
    const asFloat = parseFloatText(value);
    if (asFloat !== undefined && Number.isFinite(asFloat)) return Math.trunc(asFloat);
    if (asFloat !== undefined && !Number.isNaN(asFloat)) throw new JinjaRuntimeError('cannot convert float infinity to integer', 'OverflowError');
    return fallback;
  }
  if (isNumeric(value)) {
    const n = toNumber(value);
    if (!Number.isFinite(n)) throw new JinjaRuntimeError('cannot convert float infinity to integer', 'OverflowError');
    return Math.trunc(n);
  }
  return fallback;
}

function toFloat(value: unknown, fallback: unknown): unknown {
  if (typeof value === 'string') {
    const parsed = parseFloatText(value);
    return parsed === undefined ? fallback : makeFloat(parsed);
  }
  if (isNumeric(value)) return makeFloat(toNumber(value));
  return fallback;
}

function round(value: unknown, precision: unknown, method: unknown): unknown {
  if (!['common', 'ceil', 'floor'].includes(String(method))) throw new JinjaRuntimeError('method must be common, ceil or floor', 'FilterArgumentError');
  if (!isNumeric(value)) throw typeError(`type ${typeName(value)} doesn't define __round__ method`);
  const digits = toNumber(precision);
  if (method === 'common') {
    if (!isFloat(value)) return toNumber(value);
    return makeFloat(roundHalfEven(toNumber(value), digits));
  }
  const scale = 10 ** digits;
  const fn = method === 'ceil' ? Math.ceil : Math.floor;
  return makeFloat(fn(toNumber(value) * scale) / scale);
}

function aggregate(ctx: FilterContext, value: unknown, caseSensitive: unknown, attribute: unknown, pickMax: boolean): unknown {
  const list = items(ctx, value);
  if (list.length === 0) return new Undefined('No aggregated item, sequence was empty.', ctx.mode);
  const key = attribute === null ? (v: unknown) => (caseSensitive ? v : ignoreCase(v)) : attrGetter(ctx, attribute, caseSensitive ? undefined : ignoreCase);
  let best = list[0];
  let bestKey = key(best);
  for (const item of list.slice(1)) {
    const k = key(item);
    const order = pyCompare(k, bestKey);
    if (pickMax ? order > 0 : order < 0) [best, bestKey] = [item, k];
  }
  return best;
}

function selectOrReject(ctx: FilterContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>, byAttribute: boolean, keep: boolean): unknown[] {
  const rest = [...args];
  const getter = byAttribute ? attrGetter(ctx, rest.shift()) : (v: unknown) => v;
  const testName = rest.shift();
  const check = testName === undefined ? (v: unknown) => truthy(v) : (v: unknown) => ctx.callTest(String(testName), v, rest, kwargs);
  return owned(items(ctx, value).filter((item) => check(getter(item)) === keep));
}

function uniqueItems(ctx: FilterContext, value: unknown, caseSensitive: unknown, attribute: unknown): unknown[] {
  const key = attribute === null ? (v: unknown) => (caseSensitive ? v : ignoreCase(v)) : attrGetter(ctx, attribute, caseSensitive ? undefined : ignoreCase);
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items(ctx, value)) {
    const k = key(item);
    if (!seen.some((s) => pyEquals(s, k))) {
      seen.push(k);
      out.push(item);
    }
  }
  return owned(out);
}

function groupBy(ctx: FilterContext, value: unknown, attribute: unknown, fallback: unknown, caseSensitive: unknown): unknown[] {
  const key = attrGetter(ctx, attribute, caseSensitive ? undefined : ignoreCase, fallback ?? undefined);
  const output = attrGetter(ctx, attribute, undefined, fallback ?? undefined);
  const groups: unknown[] = [];
  let current: { key: unknown; list: unknown[] } | undefined;
  for (const item of sortBy(items(ctx, value), key)) {
    const k = key(item);
    if (current && pyEquals(current.key, k)) current.list.push(item);
    else {
      current = { key: k, list: owned([item]) };
      groups.push(current);
    }
  }
  return owned(groups.map((g) => namedTuple(['grouper', 'list'], [output((g as { list: unknown[] }).list[0]), (g as { list: unknown[] }).list])));
}

/** jinja2's filters over data, by name. */
export const DATA_FILTERS: Record<string, Filter> = {
  abs: filter('abs', [], (_ctx, v) => {
    if (!isNumeric(v)) throw typeError(`bad operand type for abs(): '${typeName(v)}'`);
    return isFloat(v) ? makeFloat(Math.abs(toNumber(v))) : Math.abs(toNumber(v));
  }),
  attr: filter('attr', [['name', REQUIRED]], (ctx, v, [name]) => attributeOnly(v, String(name), ctx.mode)),
  batch: filter('batch', [['linecount', REQUIRED], ['fill_with', null]], (ctx, v, [count, fill]) => {
    const size = toNumber(count);
    const out: unknown[][] = [];
    for (const item of items(ctx, v)) {
      if (out.length === 0 || (out.at(-1) as unknown[]).length === size) out.push(owned([]));
      (out.at(-1) as unknown[]).push(item);
    }
    const last = out.at(-1);
    if (last && fill !== null) while (last.length < size) last.push(fill);
    return owned(out);
  }),
  count: filter('count', [], (_ctx, v) => length(v)),
  length: filter('length', [], (_ctx, v) => length(v)),
  d: filter('d', [['default_value', ''], ['boolean', false]], (_ctx, v, [d, b]) => (v instanceof Undefined || (b && !truthy(v)) ? d : v)),
  default: filter('default', [['default_value', ''], ['boolean', false]], (_ctx, v, [d, b]) => (v instanceof Undefined || (b && !truthy(v)) ? d : v)),
  dictsort: filter('dictsort', [['case_sensitive', false], ['by', 'key'], ['reverse', false]], (_ctx, v, [cs, by, reverse]) => {
    if (!isDict(v)) throw typeError(`dictsort needs a mapping, got ${typeName(v)}`);
    if (by !== 'key' && by !== 'value') throw new JinjaRuntimeError('You can only sort by either "key" or "value"', 'FilterArgumentError');
    const pos = by === 'key' ? 0 : 1;
    const pairs = Object.entries(v).map((pair) => tuple(pair));
    return owned(sortBy(pairs, (p) => (cs ? p[pos] : ignoreCase(p[pos])), Boolean(reverse)));
  }),
  first: filter('first', [], (ctx, v) => {
    const list = items(ctx, v);
    return list.length > 0 ? list[0] : new Undefined('No first item, sequence was empty.', ctx.mode);
  }),
  last: filter('last', [], (ctx, v) => {
    if (isDict(v)) throw typeError(`'dict' object is not reversible`);
    const list = items(ctx, v);
    return list.length > 0 ? list.at(-1) : new Undefined('No last item, sequence was empty.', ctx.mode);
  }),
  float: filter('float', [['default', new PyFloat(0)]], (_ctx, v, [d]) => toFloat(v, d)),
  int: filter('int', [['default', 0], ['base', 10]], (_ctx, v, [d, base]) => toInt(v, d, toNumber(base))),
  items: filter('items', [], (_ctx, v) => {
    if (v instanceof Undefined) return owned([]);
    if (!isDict(v)) throw typeError('Can only get item pairs from a mapping.');
    return owned(Object.entries(v).map((pair) => tuple(pair)));
  }),
  join: filter('join', [['d', ''], ['attribute', null]], (ctx, v, [sep, attribute]) => {
    let list = items(ctx, v);
    if (attribute !== null) list = list.map(attrGetter(ctx, attribute));
    return list.map(text).join(text(sep));
  }),
  list: filter('list', [], (ctx, v) => owned(items(ctx, v))),
  map: (ctx, v, args, kwargs) => {
    const list = items(ctx, v);
    if (args.length === 0 && Object.hasOwn(kwargs, 'attribute')) {
      const { attribute, default: fallback, ...rest } = kwargs;
      if (Object.keys(rest).length > 0) throw typeError(`Unexpected keyword argument '${Object.keys(rest)[0]}'`);
      return owned(list.map(attrGetter(ctx, attribute, undefined, fallback)));
    }
    const [name, ...rest] = args;
    if (name === undefined) throw typeError('map requires a filter argument');
    return owned(list.map((item) => ctx.callFilter(String(name), item, rest, kwargs)));
  },
  max: filter('max', [['case_sensitive', false], ['attribute', null]], (ctx, v, [cs, a]) => aggregate(ctx, v, cs, a, true)),
  min: filter('min', [['case_sensitive', false], ['attribute', null]], (ctx, v, [cs, a]) => aggregate(ctx, v, cs, a, false)),
  random: filter('random', [], (ctx, v) => {
    const list = items(ctx, v);
    return list.length > 0 ? list[Math.floor(Math.random() * list.length)] : new Undefined('No random item, sequence was empty.', ctx.mode);
  }),
  reject: (ctx, v, args, kwargs) => selectOrReject(ctx, v, args, kwargs, false, false),
  rejectattr: (ctx, v, args, kwargs) => selectOrReject(ctx, v, args, kwargs, true, false),
  select: (ctx, v, args, kwargs) => selectOrReject(ctx, v, args, kwargs, false, true),
  selectattr: (ctx, v, args, kwargs) => selectOrReject(ctx, v, args, kwargs, true, true),
  reverse: filter('reverse', [], (ctx, v) => (typeof v === 'string' ? codePoints(v).reverse().join('') : owned(items(ctx, v).reverse()))),
  round: filter('round', [['precision', 0], ['method', 'common']], (_ctx, v, [p, m]) => round(v, p, m)),
  slice: filter('slice', [['slices', REQUIRED], ['fill_with', null]], (ctx, v, [count, fill]) => {
    const seq = items(ctx, v);
    const slices = toNumber(count);
    const per = Math.floor(seq.length / slices);
    const extra = seq.length % slices;
    const out: unknown[] = [];
    let offset = 0;
    for (let n = 0; n < slices; n += 1) {
      const start = offset + n * per;
      if (n < extra) offset += 1;
      const part = owned(seq.slice(start, offset + (n + 1) * per));
      if (fill !== null && n >= extra) part.push(fill);
      out.push(part);
    }
    return owned(out);
  }),
  sort: filter('sort', [['reverse', false], ['case_sensitive', false], ['attribute', null]], (ctx, v, [reverse, cs, attribute]) => {
    const getters = attribute === null ? [(x: unknown) => x] : String(attribute).split(',').map((a) => attrGetter(ctx, a.trim()));
    const key = (x: unknown) => {
      const keys = getters.map((g) => (cs ? g(x) : ignoreCase(g(x))));
      return keys.length === 1 ? keys[0] : tuple(keys);
    };
    return owned(sortBy(items(ctx, v), key, Boolean(reverse)));
  }),
  sum: filter('sum', [['attribute', null], ['start', 0]], (ctx, v, [attribute, start]) => {
    let list = items(ctx, v);
    if (attribute !== null) list = list.map(attrGetter(ctx, attribute));
    return list.reduce((total, item) => binary('+', total, item), start);
  }),
  unique: filter('unique', [['case_sensitive', false], ['attribute', null]], (ctx, v, [cs, a]) => uniqueItems(ctx, v, cs, a)),
  groupby: filter('groupby', [['attribute', REQUIRED], ['default', null], ['case_sensitive', false]], (ctx, v, [a, d, cs]) => groupBy(ctx, v, a, d, cs)),
};

