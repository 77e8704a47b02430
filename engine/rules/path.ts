import { RulesError } from './errors.ts';
import { isPlainObject } from './json.ts';

/** The result of looking a path up: `found` is false when nothing is at the path. */
export interface PathLookup {
  found: boolean;
  value: unknown;
  /** Set when st2's jsonpath would raise on the payload's shape (see lookupSteps). */
  mismatch?: true;
}

/**
 * One step of a criteria key: fields (`a`, `['a','b']`; `*` every object value), a list index, a
 * slice, or `[*]` (every item of a list; any other value as itself).
 */
export type PathStep =
  | { kind: 'fields'; names: string[] }
  | { kind: 'values' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start: number | undefined; end: number | undefined }
  | { kind: 'items' };

/** A criteria key that is not a path, with the position (UTF-16 index) of the fault. */
export class PathSyntax extends RulesError {
  override name = 'PathSyntax';
  override readonly code: string = 'invalid_path';
  readonly position: number;
  constructor(reason: string, position: number) {
    super(`${reason} at position ${position}`);
    this.position = position;
  }
}

const QUOTED = /^\s*(?:'([^']*)'|"([^"]*)")\s*/;

/** The inside of `[...]` at `open`: an index, a slice, `*`, or quoted field names. */
function bracket(inner: string, open: number): PathStep {
  const text = inner.trim();
  if (text === '*') return { kind: 'items' };
  if (/^-?\d+$/.test(text)) return { kind: 'index', index: Number(text) };
  const slice = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(text);
  if (slice) return { kind: 'slice', start: slice[1] === undefined ? undefined : Number(slice[1]), end: slice[2] === undefined ? undefined : Number(slice[2]) };
  const names: string[] = [];
  let rest = inner;
  for (;;) {
    const quoted = QUOTED.exec(rest);
    if (!quoted) throw new PathSyntax("expected [n], [n:m], [*] or ['name']", open);
    names.push(quoted[1] ?? quoted[2] ?? '');
    rest = rest.slice(quoted[0].length);
    if (rest === '') return { kind: 'fields', names };
    if (!rest.startsWith(',')) throw new PathSyntax("expected [n], [n:m], [*] or ['name']", open);
    rest = rest.slice(1);
  }
}

/** The closing `]` of the bracket opened at `open`, skipping quoted names. */
function closing(path: string, open: number): number {
  for (let i = open + 1; i < path.length; i++) {
    const c = path[i];
    if (c === ']') return i;
    if (c === "'" || c === '"') {
      const end = path.indexOf(c, i + 1);
      if (end < 0) break;
      i = end;
    }
  }
  throw new PathSyntax('unclosed [', open);
}

/**
 * Reads a criteria key as st2 does (jsonpath: `trigger.body.items[0].name`): fields separated by
 * dots, quoted fields (`trigger.body."a.b"`), `trigger.headers['X-Custom-Header']`, `[n]`
 * (negative from the end), `[n:m]`, `[*]`, `*` (every object value), a leading `$.`. Blanks
 * around parts are ignored. A field made of digits also indexes a list
 * (`trigger.body.items.0`), and any character may be in a field, where st2's jsonpath refuses
 * the key: every key st2 accepts reads the same, except `..` (descendants), refused here.
 *
 * @throws PathSyntax naming the position of an empty field, an unclosed `[` or quote, or `..`.
 */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = /^\s*\$\s*\./.test(path) ? path.indexOf('.') + 1 : 0;
  let expectField = true;
  while (i < path.length) {
    const c = path[i]!;
    if (c === ' ' || c === '\t') i++;
    else if (c === '[') {
      const end = closing(path, i);
      steps.push(bracket(path.slice(i + 1, end), i));
      i = end + 1;
      expectField = false;
    } else if (c === '.') {
      if (expectField) throw new PathSyntax(path[i + 1] === '.' || path[i - 1] === '.' ? 'descendant paths (..) are not supported' : 'empty field', i);
      i++;
      expectField = true;
      if (path.slice(i).trim() === '') throw new PathSyntax('empty field', i);
    } else if (!expectField) {
      throw new PathSyntax('expected . or [ after a field', i);
    } else if (c === '"' || c === "'") {
      const end = path.indexOf(c, i + 1);
      if (end < 0) throw new PathSyntax(`unclosed ${c}`, i);
      steps.push({ kind: 'fields', names: [path.slice(i + 1, end)] });
      i = end + 1;
      expectField = false;
    } else {
      const match = /^[^.[\]"']+/.exec(path.slice(i))!;
      const name = match[0].trim();
      steps.push(name === '*' ? { kind: 'values' } : { kind: 'fields', names: [name] });
      i += match[0].length;
      expectField = false;
    }
  }
  if (steps.length === 0) throw new PathSyntax('empty field', 0);
  return steps;
}

/** Python's index into a sequence of `length`; undefined when out of range. */
function pyIndex(index: number, length: number): number | undefined {
  const at = index < 0 ? length + index : index;
  return at >= 0 && at < length ? at : undefined;
}

/** Python's `seq[start:end]` bounds. */
function pySlice(length: number, start: number | undefined, end: number | undefined): [number, number] {
  const clamp = (n: number) => Math.min(length, Math.max(0, n < 0 ? length + n : n));
  return [start === undefined ? 0 : clamp(start), end === undefined ? length : clamp(end)];
}

/** Every value one step leads to from `current`, in document order; undefined where jsonpath raises. */
function next(current: unknown, step: PathStep): unknown[] | undefined {
  switch (step.kind) {
    case 'fields':
      return step.names.flatMap((name) => {
        if (isPlainObject(current)) return Object.hasOwn(current, name) ? [current[name]] : [];
        if (Array.isArray(current) && /^\d+$/.test(name)) return Number(name) < current.length ? [current[Number(name)]] : [];
        return [];
      });
    case 'values':
      return isPlainObject(current) ? Object.values(current) : [];
    case 'index': {
      // jsonpath takes value[n] when len(value) > n: lists and strings (by character) answer,
      // an object raises (its keys are strings), a number, bool or null has no length.
      const sequence = Array.isArray(current) ? current : typeof current === 'string' ? Array.from(current) : isPlainObject(current) ? Object.keys(current) : undefined;
      if (sequence === undefined) return undefined;
      if (sequence.length <= step.index) return [];
      if (isPlainObject(current)) return undefined;
      const at = pyIndex(step.index, sequence.length);
      return at === undefined ? undefined : [sequence[at]];
    }
    case 'slice': {
      const list = Array.isArray(current) ? current : [current];
      const [from, to] = pySlice(list.length, step.start, step.end);
      return list.slice(from, Math.max(from, to));
    }
    case 'items':
      return Array.isArray(current) ? current : [current];
  }
}

/**
 * The first value a parsed path finds: st2 takes the first of a jsonpath's matches, computed for
 * every branch, so a branch where jsonpath raises (an index into an object or a number, a
 * negative index past the start) spoils the lookup: `mismatch`, which no criterion holds on.
 * Only own properties are followed, never the prototype chain.
 */
export function lookupSteps(root: unknown, steps: readonly PathStep[]): PathLookup {
  let values: unknown[] = [root];
  for (const step of steps) {
    const reached: unknown[] = [];
    for (const value of values) {
      const found = next(value, step);
      if (found === undefined) return { found: false, value: undefined, mismatch: true };
      for (const item of found) reached.push(item);
    }
    values = reached;
  }
  return values.length > 0 ? { found: true, value: values[0] } : { found: false, value: undefined };
}

/**
 * Follows a path (`trigger.body.items.0.name`, `trigger.body.items[0].name`) through objects and
 * arrays; see parsePath. A path that does not parse finds nothing.
 */
export function lookupPath(root: unknown, path: string): PathLookup {
  let steps: PathStep[];
  try {
    steps = parsePath(path);
  } catch {
    return { found: false, value: undefined };
  }
  return lookupSteps(root, steps);
}
