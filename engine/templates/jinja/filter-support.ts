/** Helpers jinja2's filters share: soft_str, attribute getters, case-folding sort keys, numbers. */
import { bind } from './arguments.ts';
import type { Signature } from './arguments.ts';
import { pyCompare } from './operators.ts';
import { pyStr } from './python-str.ts';
import type { Filter, FilterContext } from './runtime.ts';
import { Undefined } from './values.ts';

/** jinja2's soft_str: str() of the value; a StrictUndefined refuses. */
export function text(value: unknown): string {
  if (value instanceof Undefined && value.mode === 'strict') throw value.fail();
  return pyStr(value);
}

/** A filter from a Python-style signature: `(value, a=1, b=2)` → `fn(ctx, value, [a, b])`. */
export function filter(name: string, signature: Signature, fn: (ctx: FilterContext, value: unknown, args: unknown[]) => unknown): Filter {
  return (ctx, value, args, kwargs) => fn(ctx, value, bind(name, signature, args, kwargs));
}

/** jinja2's make_attrgetter: `a.b.0` walks items (getitem first); `default` replaces undefined. */
export function attrGetter(ctx: FilterContext, attribute: unknown, postprocess?: (v: unknown) => unknown, fallback?: unknown): (item: unknown) => unknown {
  const parts = typeof attribute === 'string' ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [attribute];
  return (item) => {
    let value = item;
    for (const part of parts) value = ctx.getitem(value, part);
    if (value instanceof Undefined && fallback !== undefined) value = fallback;
    return postprocess ? postprocess(value) : value;
  };
}

/** Lower-cases strings only: the key of case-insensitive sort, unique, min and max. */
export function ignoreCase(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** sorted() with a key function; stable, and `reverse` keeps equal items in order as Python does. */
export function sortBy<T>(items: T[], key: (item: T) => unknown, reverse = false): T[] {
  const keyed = items.map((item) => [key(item), item] as const);
  keyed.sort((a, b) => (reverse ? -pyCompare(a[0], b[0]) : pyCompare(a[0], b[0])));
  return keyed.map(([, item]) => item);
}

const INT_TEXT = /^[-+]?(?:\d(?:_?\d)*)$/;

/** Python's int(text, base); undefined when Python raises ValueError. */
export function parseIntText(raw: string, base: number): number | undefined {
  let s = raw.trim().toLowerCase();
  const sign = s.startsWith('-') ? -1 : 1;
  if (/^[-+]/.test(s)) s = s.slice(1);
  let radix = base;
  const prefix = /^0([xob])/.exec(s)?.[1];
  const prefixes: Record<string, number> = { x: 16, o: 8, b: 2 };
  if (prefix && (base === 0 || base === prefixes[prefix])) {
    radix = prefixes[prefix] ?? 10;
    s = s.slice(2).replace(/^_/, '');
  } else if (base === 0) {
    if (/^0+$/.test(s.replace(/_/g, ''))) return 0;
    if (s.startsWith('0')) return undefined;
    radix = 10;
  }
  if (s === '' || /^_|_$|__/.test(s)) return undefined;
  const digits = s.replace(/_/g, '');
  const valid = radix === 10 ? INT_TEXT.test(s) : [...digits].every((c) => parseInt(c, radix) < radix);
  if (!valid) return undefined;
  return sign * parseInt(digits, radix);
}

/** Python's float(text); undefined when Python raises ValueError. */
export function parseFloatText(raw: string): number | undefined {
  const s = raw.trim().toLowerCase();
  if (/^[-+]?(?:inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(s)) return NaN;
  if (!/^[-+]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[-+]?\d(?:_?\d)*)?$/.test(s)) return undefined;
  return Number(s.replace(/_/g, ''));
}
