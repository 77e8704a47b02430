import type { ArgNode, Node } from './ast.ts';
import { bind, fits, isLazy, noMatch, specFor, unknown } from './dispatch.ts';
import type { Binding, CallArg, CallEnv, FunctionTable, LazyRule, ParamSpec } from './dispatch.ts';
import { YaqlError, YaqlEvaluationError, YaqlFault, YaqlLimitError, YaqlLimitFault } from './errors.ts';
import type { YaqlLocation } from './errors.ts';
import { MAX_EVALUATION_STEPS } from './limits.ts';
import { Scope } from './scope.ts';
import { MappingPair } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * Evaluates parsed expressions: yaql's function resolution (`yaql/language/runner.py`) over a list
 * of function tables, searched in order (the caller's host functions, the standard library, the
 * fallbacks), each call's arguments mapped onto the overloads, evaluated, and type-checked.
 */
export class Runtime {
  private steps = 0;
  private readonly tables: FunctionTable[];
  private readonly location: YaqlLocation;
  readonly host: unknown;

  constructor(tables: FunctionTable[], location: YaqlLocation, host: unknown) {
    this.tables = tables;
    this.location = location;
    this.host = host;
  }

  tick(count = 1): void {
    this.steps += count;
    if (this.steps > MAX_EVALUATION_STEPS) throw new YaqlLimitFault(`evaluation took more than ${MAX_EVALUATION_STEPS} steps`);
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

  /** Resolves `name` among the overloads of every table and calls the one the arguments fit. */
  dispatch(name: string, args: CallArg[], scope: Scope, receiver?: YaqlValue): YaqlValue {
    const wantMethod = receiver !== undefined;
    const levels = this.tables
      .map((table) => (table.get(name) ?? []).filter((o) => (wantMethod ? o.kind !== 'function' : o.kind !== 'method')))
      .filter((level) => level.length > 0);
    if (levels.length === 0) throw unknown(name, receiver);
    const all: CallArg[] = receiver === undefined ? args : [{ value: receiver }, ...args];
    const noKwargs = levels[0]?.[0]?.noKwargs ?? false;
    if (levels.some((level) => level.some((o) => (o.noKwargs ?? false) !== noKwargs))) {
      throw new YaqlFault('AmbiguousFunctionException', `ambiguous function "${name}"`);
    }
    const { positional, named } = noKwargs ? { positional: all, named: new Map<string, CallArg>() } : translate(all);
    const bound = levels.map((level) => level.map((o) => bind(o, positional, named)).filter((b): b is Binding => b !== undefined));
    const flat = bound.flat();
    if (flat.length === 0) throw noMatch(name, receiver);
    const lazyOf = (b: Binding): string =>
      [...positional.keys(), ...[...named.keys()].map((k) => `kw:${k}`)]
        .filter((source) => {
          const spec = specFor(b, source);
          return spec !== undefined && isLazy(spec.type);
        })
        .join(',');
    const lazy = lazyOf(flat[0] as Binding);
    if (flat.some((b) => lazyOf(b) !== lazy)) throw new YaqlFault('AmbiguousFunctionException', `ambiguous function "${name}"`);
    const lazySet = new Set(lazy === '' ? [] : lazy.split(','));

    const values = new Map<number | string, YaqlValue>();
    const evaluateArg = (source: number | string, arg: CallArg): void => {
      if ('value' in arg) values.set(source, arg.value);
      else if (!lazySet.has(String(source)) && arg.node.type !== 'skipped') values.set(source, this.evaluate(arg.node, scope));
    };
    positional.forEach((arg, i) => evaluateArg(i, arg));
    for (const [key, arg] of named) evaluateArg(`kw:${key}`, arg);

    for (const level of bound) {
      for (const binding of level) {
        if (this.accepts(binding, values)) return this.invoke(binding, positional, named, values, scope);
      }
    }
    throw noMatch(name, receiver);
  }

  private accepts(binding: Binding, values: Map<number | string, YaqlValue>): boolean {
    for (const [source, value] of values) {
      const spec = specFor(binding, source);
      if (spec !== undefined && !isLazy(spec.type) && !fits(spec, value)) return false;
    }
    const { overload } = binding;
    return overload.params.every((spec, i) => binding.sources[i] !== 'default' || isLazy(spec.type) || fits(spec, spec.default ?? null));
  }

  private invoke(
    binding: Binding,
    positional: CallArg[],
    named: Map<string, CallArg>,
    values: Map<number | string, YaqlValue>,
    scope: Scope,
  ): YaqlValue {
    const callScope = scope.child();
    const argFor = (source: number | string): CallArg =>
      typeof source === 'number' ? (positional[source] as CallArg) : (named.get(source.slice(3)) as CallArg);
    const convert = (spec: ParamSpec, source: number | string): unknown => {
      if (source === 'default') return spec.default ?? null;
      if (isLazy(spec.type)) return this.lazy(spec, argFor(source), callScope);
      const value = values.get(source) ?? null;
      return spec.type === 'int' && typeof value === 'boolean' ? Number(value) : value;
    };
    const { overload } = binding;
    const args = overload.params.map((spec, i) => convert(spec, binding.sources[i] as number | string));
    for (const source of binding.restSources) args.push(convert(overload.rest as ParamSpec, source));
    const kwargs = new Map<string, YaqlValue>();
    for (const key of binding.extraKwargs) kwargs.set(key, values.get(`kw:${key}`) ?? null);
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

/** Splits `name => value` arguments off as named ones; the name must be a bare keyword. */
function translate(args: CallArg[]): { positional: CallArg[]; named: Map<string, CallArg> } {
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
