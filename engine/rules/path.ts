import { RulesError } from './errors.ts';
import { isPlainObject } from './json.ts';

/** The result of looking a path up: `found` is false when nothing is at the path. */
export interface PathLookup {
  found: boolean;
  value: unknown;
}

/** One step of a criteria key: a field (or `*`, every value of an object), a list index, or `[*]`. */
export type PathStep = { kind: 'field'; name: string } | { kind: 'values' } | { kind: 'index'; index: number } | { kind: 'items' };

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

/**
 * Reads a criteria key as st2 does (a jsonpath such as `trigger.body.items[0].name`): fields
 * separated by dots, quoted fields (`trigger.body."a.b"`), `[n]` (negative from the end), `[*]`
 * every list item, `*` every object value. A field made of digits also indexes a list
 * (`trigger.body.items.0`), which st2's jsonpath refuses: every key st2 accepts reads the same.
 *
 * @throws PathSyntax naming the position of an empty field, an unclosed `[` or quote, or `..`.
 */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  let expectField = true;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '[') {
      const end = path.indexOf(']', i);
      const inner = end < 0 ? undefined : path.slice(i + 1, end).trim();
      if (inner === '*') steps.push({ kind: 'items' });
      else if (inner !== undefined && /^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else throw new PathSyntax(end < 0 ? 'unclosed [' : 'expected [n] or [*]', i);
      i = end + 1;
      expectField = false;
    } else if (c === '.') {
      if (expectField) throw new PathSyntax(path[i + 1] === '.' ? 'descendant paths (..) are not supported' : 'empty field', i);
      i++;
      expectField = true;
      if (i === path.length) throw new PathSyntax('empty field', i);
    } else if (!expectField) {
      throw new PathSyntax('expected . or [ after a field', i);
    } else if (c === '"' || c === "'") {
      const end = path.indexOf(c, i + 1);
      if (end < 0) throw new PathSyntax(`unclosed ${c}`, i);
      steps.push({ kind: 'field', name: path.slice(i + 1, end) });
      i = end + 1;
      expectField = false;
    } else {
      const match = /^[^.[\]"']+/.exec(path.slice(i));
      if (!match) throw new PathSyntax(`unexpected ${c}`, i);
      const name = match[0];
      steps.push(name === '*' ? { kind: 'values' } : { kind: 'field', name });
      i += name.length;
      expectField = false;
    }
  }
  if (steps.length === 0) throw new PathSyntax('empty field', 0);
  return steps;
}

/** Every value one step leads to from `current`, in document order. */
function next(current: unknown, step: PathStep): unknown[] {
  switch (step.kind) {
    case 'field':
      if (isPlainObject(current)) return Object.hasOwn(current, step.name) ? [current[step.name]] : [];
      if (Array.isArray(current) && /^\d+$/.test(step.name)) return Number(step.name) < current.length ? [current[Number(step.name)]] : [];
      return [];
    case 'values':
      return isPlainObject(current) ? Object.values(current) : [];
    case 'index': {
      if (!Array.isArray(current)) return [];
      const index = step.index < 0 ? current.length + step.index : step.index;
      return index >= 0 && index < current.length ? [current[index]] : [];
    }
    case 'items':
      return Array.isArray(current) ? current : [];
  }
}

/**
 * The first value a parsed path finds (st2 takes the first of a jsonpath's matches). Only own
 * properties are followed, never the prototype chain.
 */
export function lookupSteps(root: unknown, steps: readonly PathStep[]): PathLookup {
  // Depth-first, leftmost first: the first complete path is the answer.
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (depth === steps.length) return { found: true, value };
    const children = next(value, steps[depth]!);
    for (let k = children.length - 1; k >= 0; k--) stack.push({ value: children[k], depth: depth + 1 });
  }
  return { found: false, value: undefined };
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
