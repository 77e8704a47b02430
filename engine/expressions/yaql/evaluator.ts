import type { Node } from './ast.ts';
import { NO_VALUE } from './dispatch.ts';
import type { FunctionTable, Overload } from './dispatch.ts';
import { YaqlFault } from './errors.ts';
import type { YaqlLocation } from './errors.ts';
import { FALLBACK_FUNCTIONS, STANDARD_FUNCTIONS } from './library.ts';
import { parse } from './parser.ts';
import { Library, rootScope, Runtime } from './runtime.ts';
import type { StepBudget } from './runtime.ts';
import type { Scope } from './scope.ts';
import { fromJs, toJs } from './convert.ts';
import type { YaqlValue } from './values.ts';

/** What a host function receives: its evaluated arguments as JSON-like data, and the caller's host object. */
export interface HostCall<H = unknown> {
  /** The name it was called by. */
  name: string;
  /** Arguments in the order of the declared parameters (`undefined` for an absent optional one), then any extra. */
  args: unknown[];
  /** `name => value` arguments beyond the declared parameters (with `**`). */
  kwargs: Record<string, unknown>;
  /** The object the caller passed as `host` (Orquesta: the workflow context). */
  host: H;
}

/**
 * A function the caller adds to the language (Orquesta's `ctx()`, `task()`, `st2kv()`): called as
 * `name(args)`, never as a method. It returns JSON-like data; to report a fault of the workflow it
 * throws {@link YaqlFault} (`new YaqlFault('VariableUndefinedError', 'The variable "x" is undefined.')`),
 * which the evaluator reports with the expression and position.
 */
export type HostFunction<H = unknown> = (call: HostCall<H>) => unknown;

/**
 * A host function with its signature, so calls that do not fit fail as yaql's do (no matching
 * function) and `name => value` arguments bind to parameters by name.
 *
 * @example { params: ['task_name', 'route?'], fn: ({ args: [name, route] }) => … }
 */
export interface HostFunctionSpec<H = unknown> {
  /** Parameter names in order; `name?` is optional, `*` takes any further positional arguments, `**` any further named ones. */
  params: readonly string[];
  fn: HostFunction<H>;
}

/** Host functions by name; they are found before the standard library's. A bare function takes any arguments. */
export type HostFunctions<H = unknown> = Readonly<Record<string, HostFunction<H> | HostFunctionSpec<H>>>;

export interface EvaluateOptions<H = unknown> {
  /** The data `$` stands for. Orquesta leaves it unset (`$` is null there). */
  data?: unknown;
  /** Other variables: `{ foo: 1 }` is `$foo`. */
  variables?: Readonly<Record<string, unknown>>;
  functions?: HostFunctions<H>;
  host?: H;
}

/** A parsed expression, ready to evaluate many times. */
export class CompiledExpression {
  readonly source: string;
  readonly ast: Node;
  readonly location: YaqlLocation;

  constructor(source: string, location: YaqlLocation = { expression: source, position: 0 }) {
    this.source = source;
    this.location = location;
    this.ast = parse(source, location);
  }

  /** Evaluates to JSON-like data (arrays, plain objects, numbers, strings, booleans, null). */
  evaluate<H>(options: EvaluateOptions<H> = {}): unknown {
    return toJsAt(this.evaluateValue(options), this.location);
  }

  /** Evaluates to the evaluator's own values (Python types kept: tuples, floats, iterators). */
  evaluateValue<H>(options: EvaluateOptions<H> = {}): YaqlValue {
    const scope = rootScope(options.data === undefined ? undefined : fromJsAt(options.data, this.location));
    for (const [name, value] of Object.entries(options.variables ?? {})) scope.set(name, fromJsAt(value, this.location));
    return this.evaluateIn(scope, options.functions, options.host);
  }

  /** Evaluates in a prepared scope (the Orquesta renderer binds its own variables), on a shared budget if given. */
  evaluateIn<H>(scope: Scope, functions: HostFunctions<H> | undefined, host: H | undefined, budget?: StepBudget): YaqlValue {
    return new Runtime(libraryFor(functions), this.location, host, budget).evaluate(this.ast, scope);
  }
}

/**
 * Parses an expression (no `<% %>`). Throws `YaqlSyntaxError` / `YaqlLimitError` naming the position.
 *
 * @example compile('$.vms.where($.role = web).select($.name)').evaluate({ data: { vms } })
 */
export function compile(source: string, location?: YaqlLocation): CompiledExpression {
  return new CompiledExpression(source, location);
}

/**
 * Evaluates one YAQL expression (no `<% %>`) to JSON-like data.
 *
 * @example evaluate('$.a + 1', { data: { a: 2 } }) // 3
 */
export function evaluate<H>(source: string, options: EvaluateOptions<H> = {}): unknown {
  return compile(source).evaluate(options);
}

function fromJsAt(value: unknown, location: YaqlLocation): YaqlValue {
  try {
    return fromJs(value);
  } catch (error) {
    throw new Runtime(DEFAULT_LIBRARY, location, undefined).locate(error, 0);
  }
}

function toJsAt(value: YaqlValue, location: YaqlLocation): unknown {
  try {
    return toJs(value);
  } catch (error) {
    throw new Runtime(DEFAULT_LIBRARY, location, undefined).locate(error, 0);
  }
}

const DEFAULT_LIBRARY = new Library([STANDARD_FUNCTIONS, FALLBACK_FUNCTIONS]);
const libraries = new WeakMap<object, Library>();

function libraryFor<H>(functions: HostFunctions<H> | undefined): Library {
  if (functions === undefined) return DEFAULT_LIBRARY;
  let library = libraries.get(functions);
  if (library === undefined) {
    library = new Library([hostTable(functions), STANDARD_FUNCTIONS, FALLBACK_FUNCTIONS]);
    libraries.set(functions, library);
  }
  return library;
}

/** Host functions as overloads: any arguments, any `name => value`, converted to and from JSON-like data. */
function hostTable<H>(functions: HostFunctions<H>): FunctionTable {
  const table: FunctionTable = new Map();
  for (const [name, entry] of Object.entries(functions)) {
    const { params, fn } = typeof entry === 'function' ? { params: ['*', '**'], fn: entry } : entry;
    const overload: Overload = {
      kind: 'function',
      params: params
        .filter((param) => param !== '*' && param !== '**')
        .map((param) => (param.endsWith('?') ? { name: param.slice(0, -1), type: 'any', default: NO_VALUE } : { name: param, type: 'any' })),
      rest: params.includes('*') ? { name: 'args', type: 'any' } : undefined,
      kwargs: params.includes('**') ? { name: 'kwargs', type: 'any' } : undefined,
      impl: ({ args, kwargs, env }) => {
        const named: Record<string, unknown> = {};
        for (const [key, value] of kwargs) named[key] = toJs(value);
        const values = (args as Array<YaqlValue | typeof NO_VALUE>).map((arg) => (arg === NO_VALUE ? undefined : toJs(arg)));
        const result = fn({ name, args: values, kwargs: named, host: env.host as H });
        if (result === undefined) throw new YaqlFault('ExpressionEvaluationException', `function ${name}() returned nothing`);
        return fromJs(result);
      },
    };
    table.set(name, [overload]);
  }
  return table;
}
