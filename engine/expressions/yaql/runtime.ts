import type { ArgNode, Node } from './ast.ts';
import { bind, fits, isLazy, noMatch, unknown } from './dispatch.ts';
import type { Binding, CallArg, CallEnv, FunctionTable, LazyRule, Overload, ParamSpec } from './dispatch.ts';
import { YaqlError, YaqlEvaluationError, YaqlFault, YaqlLimitError, YaqlLimitFault } from './errors.ts';
import type { YaqlLocation } from './errors.ts';
import { MAX_EVALUATION_STEPS } from './limits.ts';
import { Scope } from './scope.ts';
import { MappingPair } from './values.ts';
import type { YaqlValue } from './values.ts';

/** Function calls made so far, against {@link MAX_EVALUATION_STEPS}. */
export interface StepBudget {
  steps: number;
}

/** The overloads of one name, by table, and whether they agree on taking `name => value` as arguments. */
interface Resolved {
  levels: Overload[][];
  noKwargs: boolean;
  consistent: boolean;
}

const NO_NAMED: ReadonlyMap<string, CallArg> = new Map();

/** Function tables searched in order, with the overloads found per name kept for the next call. */
export class Library {
  readonly tables: readonly FunctionTable[];
  readonly resolved = new Map<string, { function?: Resolved; method?: Resolved }>();
  constructor(tables: readonly FunctionTable[]) {
    this.tables = tables;
  }
}

/**
 * Evaluates parsed expressions: yaql's function resolution (`yaql/language/runner.py`) over a list
 * of function tables, searched in order (the caller's host functions, the standard library, the
 * fallbacks), each call's arguments mapped onto the overloads, evaluated, and type-checked.
 */
export class Runtime {
  private readonly budget: StepBudget;
  private readonly library: Library;
  private readonly location: YaqlLocation;
  readonly host: unknown;

  /** @param budget shared by the expressions of one render, so many of them cannot add up to hours. */
  constructor(library: Library, location: YaqlLocation, host: unknown, budget: StepBudget = { steps: 0 }) {
    this.library = library;
    this.location = location;
    this.host = host;
    this.budget = budget;
  }

  tick(count = 1): void {
    this.budget.steps += count;
    if (this.budget.steps > MAX_EVALUATION_STEPS) throw new YaqlLimitFault(`evaluation took more than ${MAX_EVALUATION_STEPS} steps`);
  }

  /** Evaluates a tree; `receiver` is set when the tree is the right side of `.` (a method call). */
  evaluate(node: Node, scope: Scope, receiver?: YaqlValue): YaqlValue {
    switch (node.type) {
      case 'constant':
        return node.value as YaqlValue;
      case 'keyword':
        return node.name;
      case 'variable':
        return scope.get(node.name);
      case 'wrap':
        return this.evaluate(node.expr, scope, receiver);
      case 'mapping':
        return new MappingPair(this.evaluate(node.source, scope), this.evaluate(node.destination, scope));
      case 'call':
        try {
          this.tick();
          const args: CallArg[] = node.args.map((arg) => ({ node: arg }));
          return this.dispatch(node.name, args, scope, node.callKind === 'function' ? receiver : undefined);
        } catch (error) {
          throw this.locate(error, node.pos);
        }
    }
  }

  /** Turns a fault raised inside a call into an error naming the expression and the call's position. */
  locate(error: unknown, pos: number): Error {
    if (error instanceof YaqlError) return error;
    const at = { expression: this.location.expression, position: this.location.position + pos };
    if (error instanceof YaqlLimitFault) return new YaqlLimitError(error.message, at);
    if (error instanceof YaqlFault) return new YaqlEvaluationError(error.message, error.kind, at, { cause: error });
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return new YaqlLimitError('expression recursion too deep', at);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new YaqlEvaluationError(`function failed: ${message}`, 'ExpressionEvaluationException', at, { cause: error });
  }

  /** The overloads of `name` callable as a function (or as a method), table by table; cached. */
  private resolve(name: string, method: boolean): Resolved {
    let entry = this.library.resolved.get(name);
    if (entry === undefined) {
      entry = {};
      this.library.resolved.set(name, entry);
    }
    const kind = method ? 'method' : 'function';
    let resolved = entry[kind];
    if (resolved === undefined) {
      const levels = this.library.tables
        .map((table) => (table.get(name) ?? []).filter((o) => (method ? o.kind !== 'function' : o.kind !== 'method')))
        .filter((level) => level.length > 0);
      const noKwargs = levels[0]?.[0]?.noKwargs ?? false;
      const consistent = levels.every((level) => level.every((o) => (o.noKwargs ?? false) === noKwargs));
      resolved = { levels, noKwargs, consistent };
      entry[kind] = resolved;
    }
    return resolved;
  }

  /** Resolves `name` among the overloads of every table and calls the one the arguments fit. */
  dispatch(name: string, args: CallArg[], scope: Scope, receiver?: YaqlValue): YaqlValue {
    this.tick();
    const { levels, noKwargs, consistent } = this.resolve(name, receiver !== undefined);
    if (levels.length === 0) throw unknown(name, receiver);
    if (!consistent) throw new YaqlFault('AmbiguousFunctionException', `ambiguous function "${name}"`);
    const all: CallArg[] = receiver === undefined ? args : [{ value: receiver }, ...args];
    const { positional, named } = noKwargs ? { positional: all, named: NO_NAMED } : translate(all);
    const bound: Binding[][] = [];
    let first: Binding | undefined;
    for (const level of levels) {
      const fitting: Binding[] = [];
      for (const overload of level) {
        const binding = bind(overload, positional, named);
        if (binding === undefined) continue;
        // yaql cannot tell which arguments to evaluate when overloads disagree on it.
        if (first !== undefined && binding.lazyKey !== first.lazyKey) throw new YaqlFault('AmbiguousFunctionException', `ambiguous function "${name}"`);
        first ??= binding;
        fitting.push(binding);
      }
      if (fitting.length > 0) bound.push(fitting);
    }
    if (first === undefined) throw noMatch(name, receiver);

    // Evaluate every argument the overloads do not take lazily, in order.
    const values: Array<YaqlValue | undefined> = positional.map((arg, i) => {
      if ('value' in arg) return arg.value;
      const spec = (first as Binding).positionalSpecs[i];
      return arg.node.type === 'skipped' || (spec !== undefined && isLazy(spec.type)) ? undefined : this.evaluate(arg.node as Node, scope);
    });
    const namedValues = new Map<string, YaqlValue>();
    for (const [key, arg] of named) {
      if ('value' in arg) namedValues.set(key, arg.value);
      else if (!isLazy((first.namedSpecs.get(key) as ParamSpec).type)) namedValues.set(key, this.evaluate(arg.node as Node, scope));
    }

    for (const level of bound) {
      for (const binding of level) {
        if (accepts(binding, values, namedValues)) return this.invoke(binding, positional, named, values, namedValues, scope);
      }
    }
    throw noMatch(name, receiver);
  }

  private invoke(
    binding: Binding,
    positional: CallArg[],
    named: ReadonlyMap<string, CallArg>,
    values: Array<YaqlValue | undefined>,
    namedValues: Map<string, YaqlValue>,
    scope: Scope,
  ): YaqlValue {
    const callScope = scope.child();
    const convert = (spec: ParamSpec, source: number | { named: string } | 'default'): unknown => {
      if (source === 'default') return spec.default ?? null;
      if (isLazy(spec.type)) return this.lazy(spec, typeof source === 'number' ? (positional[source] as CallArg) : (named.get(source.named) as CallArg), callScope);
      const value = (typeof source === 'number' ? values[source] : namedValues.get(source.named)) ?? null;
      return spec.type === 'int' && typeof value === 'boolean' ? Number(value) : value;
    };
    const { overload } = binding;
    const args = overload.params.map((spec, i) => convert(spec, binding.sources[i] as number | { named: string } | 'default'));
    for (let i = overload.params.length; i < positional.length; i += 1) args.push(convert(overload.rest as ParamSpec, i));
    const kwargs = new Map<string, YaqlValue>();
    for (const key of binding.extraKwargs) kwargs.set(key, namedValues.get(key) ?? null);
    const env: CallEnv = {
      scope: callScope,
      host: this.host,
      tick: (count) => this.tick(count),
      invoke: (fname, fargs, receiver) => this.dispatch(fname, fargs.map((value) => ({ value })), callScope, receiver),
      dispatch: (fname, fargs, receiver) => this.dispatch(fname, fargs, callScope, receiver),
    };
    return overload.impl({ args, kwargs, env });
  }

  /** A lazy argument in the form its parameter type promises. */
  private lazy(spec: ParamSpec, arg: CallArg, callScope: Scope): unknown {
    const node = 'node' in arg ? (arg.node as Node) : undefined;
    const value = 'value' in arg ? arg.value : null;
    switch (spec.type) {
      case 'lambda':
        return (...params: YaqlValue[]): YaqlValue => {
          if (node === undefined) return value;
          const inner = callScope.child();
          params.forEach((param, i) => inner.set(`$${i + 1}`, param));
          return this.evaluate(node, inner);
        };
      case 'methodLambda':
        return (receiver: YaqlValue): YaqlValue => (node === undefined ? value : this.evaluate(node, callScope.child(), receiver));
      case 'contextLambda':
        return (target: Scope): YaqlValue => (node === undefined ? value : this.evaluate(node, target));
      case 'keyword':
        return node?.type === 'keyword' ? node.name : value;
      case 'keywordNode':
        return arg;
      case 'rule': {
        const rule = node as Extract<Node, { type: 'mapping' }>;
        const lazyRule: LazyRule = {
          source: () => this.evaluate(rule.source, callScope),
          destination: () => this.evaluate(rule.destination, callScope),
        };
        return lazyRule;
      }
      default:
        return node;
    }
  }
}

/** Whether the evaluated arguments fit the eager parameters of a binding (defaults included). */
function accepts(binding: Binding, values: Array<YaqlValue | undefined>, namedValues: Map<string, YaqlValue>): boolean {
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    const spec = binding.positionalSpecs[i];
    if (value !== undefined && spec !== undefined && !isLazy(spec.type) && !fits(spec, value)) return false;
  }
  for (const [key, value] of namedValues) {
    const spec = binding.namedSpecs.get(key);
    if (spec !== undefined && !isLazy(spec.type) && !fits(spec, value)) return false;
  }
  const { params } = binding.overload;
  for (let i = 0; i < params.length; i += 1) {
    const spec = params[i] as ParamSpec;
    if (binding.sources[i] === 'default' && !isLazy(spec.type) && !fits(spec, spec.default ?? null)) return false;
  }
  return true;
}

/** Splits `name => value` arguments off as named ones; the name must be a bare keyword. */
function translate(args: CallArg[]): { positional: CallArg[]; named: ReadonlyMap<string, CallArg> } {
  if (!args.some((arg) => 'node' in arg && arg.node.type === 'mapping')) return { positional: args, named: NO_NAMED };
  const positional: CallArg[] = [];
  const named = new Map<string, CallArg>();
  for (const arg of args) {
    const node = 'node' in arg ? (arg.node as ArgNode) : undefined;
    if (node?.type !== 'mapping') {
      positional.push(arg);
      continue;
    }
    if (node.source.type !== 'keyword') {
      throw new YaqlFault('MappingTranslationException', 'a named argument needs a bare name before =>');
    }
    if (named.has(node.source.name)) throw new YaqlFault('MappingTranslationException', `argument "${node.source.name}" is given twice`);
    named.set(node.source.name, { node: node.destination });
  }
  return { positional, named };
}

/** A fresh root scope with `$` bound to `data` when given. */
export function rootScope(data?: YaqlValue): Scope {
  const scope = new Scope();
  if (data !== undefined) scope.set('$', data);
  return scope;
}
