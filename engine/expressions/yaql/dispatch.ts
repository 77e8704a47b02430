import type { ArgNode, Node } from './ast.ts';
import { usesReceiver } from './ast.ts';
import { YaqlFault } from './errors.ts';
import type { Scope } from './scope.ts';
import { isIterable, isNumber, MappingPair, ScopeRef, typeName, YaqlDict, YaqlIterator, YaqlRegex } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * Parameter types, after yaql's `yaqltypes`. Eager ones check an evaluated value; lazy ones get
 * the argument's tree: `lambda` (evaluated per call with `$`/`$1…` bound), `methodLambda` (the
 * right side of `.`, a call made on a receiver), `contextLambda` (the right side of `->`),
 * `keyword` (a bare name, as a string), `keywordNode` (the same, as a tree), `rule` (`a => b`
 * evaluated on demand) and `expression` (any tree, untouched).
 */
export type EagerType =
  | 'any'
  | 'string'
  | 'int' // Python int, bool included (a bool is an int in Python)
  | 'integer' // Python int, bool excluded
  | 'number' // int or float, bool excluded
  | 'bool'
  | 'iterable'
  | 'sequence'
  | 'iterator'
  | 'mapping'
  | 'regex'
  | 'scope'
  | 'pair';
export type LazyType = 'lambda' | 'methodLambda' | 'contextLambda' | 'keyword' | 'keywordNode' | 'rule' | 'expression';
export type ParamType = EagerType | LazyType;

export interface ParamSpec {
  /** The name a caller may pass it by (`name => value`), yaql's camelCase alias. */
  name: string;
  type: ParamType;
  /** Null accepted; defaults to true for `any` and for a parameter whose default is null. */
  nullable?: boolean;
  /** Present when the parameter is optional; {@link NO_VALUE} when "absent" differs from any value. */
  default?: YaqlValue | typeof NO_VALUE;
}

/** The default of a parameter whose absence an implementation must tell apart from null. */
export const NO_VALUE: unique symbol = Symbol('NoValue');

/** A lambda as a function receives it: call it with the values for `$1`, `$2`… */
export type Lambda = (...args: YaqlValue[]) => YaqlValue;
/** `a => b` as `switch()` receives it: each side evaluated on demand. */
export interface LazyRule {
  source: () => YaqlValue;
  destination: () => YaqlValue;
}

/** What an implementation receives besides its arguments. */
export interface CallEnv {
  scope: Scope;
  /** Calls another function by name, as yaql's delegates do (`#operator_<` for sorting). */
  invoke(name: string, args: YaqlValue[], receiver?: YaqlValue): YaqlValue;
  /** Calls an overload set on raw arguments (used by `.` over collections). */
  dispatch(name: string, args: CallArg[], receiver?: YaqlValue): YaqlValue;
  /** Counts work done, so huge loops stop at the evaluation budget. */
  tick(count?: number): void;
  /** The caller's host object, for host functions. */
  host: unknown;
}

/** Arguments in parameter order (`*args` spread at the end), named extras in `kwargs`. */
export interface Call {
  args: unknown[];
  kwargs: Map<string, YaqlValue>;
  env: CallEnv;
}

export interface Overload {
  /** `function`: `f(x)` only; `method`: `x.f()` only; `extension`: both. */
  kind: 'function' | 'method' | 'extension';
  params: ParamSpec[];
  rest?: ParamSpec;
  /** Extra `name => value` arguments accepted, checked against this spec. */
  kwargs?: ParamSpec;
  /** `name => value` arguments stay positional, as `MappingPair`s (yaql's `no_kwargs`). */
  noKwargs?: boolean;
  impl: (call: Call) => YaqlValue;
}

/** Overloads by name. The evaluator looks in the host's table, then the standard one, then fallbacks. */
export type FunctionTable = Map<string, Overload[]>;

/** An argument before evaluation (a tree) or one already evaluated (a receiver, a delegate's value). */
export type CallArg = { node: ArgNode } | { value: YaqlValue };

const CHECKS: Record<EagerType, (value: YaqlValue) => boolean> = {
  any: () => true,
  string: (v) => typeof v === 'string',
  int: (v) => typeof v === 'number' || typeof v === 'boolean',
  integer: (v) => typeof v === 'number',
  number: (v) => isNumber(v),
  bool: (v) => typeof v === 'boolean',
  iterable: (v) => isIterable(v),
  sequence: (v) => Array.isArray(v),
  iterator: (v) => v instanceof YaqlIterator && !v.ordered,
  mapping: (v) => v instanceof YaqlDict,
  regex: (v) => v instanceof YaqlRegex,
  scope: (v) => v instanceof ScopeRef,
  pair: (v) => v instanceof MappingPair,
};
const LAZY = new Set<ParamType>(['lambda', 'methodLambda', 'contextLambda', 'keyword', 'keywordNode', 'rule', 'expression']);

export function isLazy(type: ParamType): type is LazyType {
  return LAZY.has(type);
}

function nullable(spec: ParamSpec): boolean {
  return spec.nullable ?? (spec.type === 'any' || spec.default === null);
}

/** Whether an evaluated value fits an eager parameter. */
export function fits(spec: ParamSpec, value: YaqlValue | typeof NO_VALUE): boolean {
  if (value === NO_VALUE) return true;
  if (value === null) return nullable(spec);
  return CHECKS[spec.type as EagerType](value);
}

/** How one overload takes the arguments: which spec each argument meets, and defaults to fill in. */
export interface Binding {
  overload: Overload;
  /** For each parameter: the positional argument's index, a named argument's name, or `default`. */
  sources: Array<number | { named: string } | 'default'>;
  /** The spec each positional argument meets (parameters, then `*args`). */
  positionalSpecs: ParamSpec[];
  /** The spec each named argument meets (a parameter, or `**kwargs`). */
  namedSpecs: Map<string, ParamSpec>;
  /** Named arguments beyond the parameters, for `**kwargs`. */
  extraKwargs: string[];
  /** Which arguments stay unevaluated, as a comparable key. */
  lazyKey: string;
}

/**
 * Maps positional and named arguments onto an overload's parameters (yaql's `map_args`), checking
 * only what is known before evaluation: counts, names, and the shape of lazy arguments.
 */
export function bind(overload: Overload, positional: CallArg[], named: ReadonlyMap<string, CallArg>): Binding | undefined {
  const sources: Binding['sources'] = [];
  const positionalSpecs: ParamSpec[] = [];
  const namedSpecs = new Map<string, ParamSpec>();
  let lazyKey = '';
  const params = overload.params;
  for (let i = 0; i < params.length; i += 1) {
    const spec = params[i] as ParamSpec;
    const arg = positional[i];
    if (arg !== undefined && !isSkipped(arg)) {
      if (named.has(spec.name) || !shapeFits(spec, arg)) return undefined;
      sources.push(i);
      positionalSpecs[i] = spec;
      if (LAZY.has(spec.type)) lazyKey += `${i},`;
    } else if (named.has(spec.name)) {
      if (!shapeFits(spec, named.get(spec.name) as CallArg)) return undefined;
      sources.push({ named: spec.name });
      namedSpecs.set(spec.name, spec);
      if (LAZY.has(spec.type)) lazyKey += `${spec.name},`;
    } else if ('default' in spec) {
      sources.push('default');
    } else {
      return undefined;
    }
  }
  for (let i = params.length; i < positional.length; i += 1) {
    const arg = positional[i] as CallArg;
    if (!overload.rest || isSkipped(arg) || !shapeFits(overload.rest, arg)) return undefined;
    positionalSpecs[i] = overload.rest;
    if (LAZY.has(overload.rest.type)) lazyKey += `${i},`;
  }
  const extraKwargs: string[] = [];
  for (const name of named.keys()) {
    if (namedSpecs.has(name)) continue;
    if (!overload.kwargs) return undefined;
    extraKwargs.push(name);
    namedSpecs.set(name, overload.kwargs);
  }
  return { overload, sources, positionalSpecs, namedSpecs, extraKwargs, lazyKey };
}

function isSkipped(arg: CallArg): boolean {
  return 'node' in arg && arg.node.type === 'skipped';
}

function shapeFits(spec: ParamSpec, arg: CallArg): boolean {
  if (!('node' in arg)) return spec.type !== 'keyword' && spec.type !== 'keywordNode' && spec.type !== 'rule';
  const node = arg.node as Node;
  switch (spec.type) {
    case 'keyword':
    case 'keywordNode':
      return node.type === 'keyword';
    case 'methodLambda':
      return usesReceiver(node);
    case 'rule':
      return node.type === 'mapping';
    case 'expression':
    case 'lambda':
    case 'contextLambda':
      return true;
    default:
      // A constant is checked now, as yaql does; anything else once evaluated.
      return node.type !== 'constant' || fits(spec, node.value as YaqlValue);
  }
}

/** yaql's message for arguments no overload accepts, with the receiver described by type only. */
export function noMatch(name: string, receiver: YaqlValue | undefined): YaqlFault {
  return receiver === undefined
    ? new YaqlFault('NoMatchingFunctionException', `no function "${describeName(name)}" matches the arguments given`)
    : new YaqlFault('NoMatchingMethodException', `no method "${describeName(name)}" for a ${typeName(receiver)} receiver matches the arguments given`);
}

export function unknown(name: string, receiver: YaqlValue | undefined): YaqlFault {
  return receiver === undefined
    ? new YaqlFault('NoFunctionRegisteredException', `unknown function "${describeName(name)}"`)
    : new YaqlFault('NoMethodRegisteredException', `unknown method "${describeName(name)}" for a ${typeName(receiver)} receiver`);
}

const OPERATOR_NAMES: Record<string, string> = { '*equal': '#operator_=', '*not_equal': '#operator_!=' };

function describeName(name: string): string {
  return OPERATOR_NAMES[name] ?? name;
}
