import { YaqlError, YaqlEvaluationError, YaqlFault, YaqlLimitError, YaqlLimitFault } from './errors.ts';
import { CompiledExpression } from './evaluator.ts';
import type { StepBudget } from './runtime.ts';
import type { HostFunctions } from './evaluator.ts';
import { MAX_DATA_DEPTH, MAX_RECURSIVE_RENDERS } from './limits.ts';
import { pyStr } from './python-text.ts';
import { Scope } from './scope.ts';
import { findExpressions } from './template.ts';
import { fromJs, toJs } from './convert.ts';
import { pyList, tuple, YaqlDict } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * The data an Orquesta expression sees: the workflow's variables by name, plus Orquesta's own
 * `__current_item` (the item of a `with items` task), `__current_task` and `__state`.
 */
export type OrquestaContext = Readonly<Record<string, unknown>>;

const converted = new WeakMap<object, YaqlDict>();

/** The context as evaluator values, converted once per context object. */
function varsOf(context: OrquestaContext): YaqlDict {
  let dict = converted.get(context);
  if (dict === undefined) {
    // A function at the top (the host's own lookups, e.g. the datastore of `st2kv()`) is for host
    // functions to read, never data an expression sees.
    const data = Object.values(context).some((v) => typeof v === 'function') ? Object.fromEntries(Object.entries(context).filter(([, v]) => typeof v !== 'function')) : context;
    dict = fromJs(data) as YaqlDict;
    converted.set(context, dict);
  }
  return dict;
}

/**
 * Orquesta's functions that need no conductor (`orquesta/expressions/functions/common.py` and
 * `item()` of `workflow.py`): `ctx()` the variables (those starting with `__` hidden), `ctx(name)`
 * one variable (an unknown one is an error), `json(text)`, `zip(a, b, pad => x)`, `item()` and
 * `item(key)`. The conductor adds `task()`, `result()`, `succeeded()`, `failed()`, `completed()`,
 * `task_status()`, `st2kv()` next to these.
 */
export const ORQUESTA_FUNCTIONS: HostFunctions<OrquestaContext> = {
  ctx: { params: ['key?'], fn: ({ args, host }) => {
    const vars = varsOf(host);
    const key = args[0];
    if (!key) return new YaqlDict(vars.items().filter(([k]) => !(typeof k === 'string' && k.startsWith('__'))), true);
    if (!vars.has(fromJs(key))) throw new YaqlFault('VariableUndefinedError', `The variable "${String(key)}" is undefined.`);
    if (typeof key === 'string' && key.startsWith('__')) throw new YaqlFault('VariableInaccessibleError', `The variable "${key}" is for internal use and inaccessible.`);
    return vars.get(fromJs(key));
  } },
  json: { params: ['s'], fn: ({ args }) => {
    const text = args[0];
    // Orquesta passes a Python dict through, but a dict from the context is yaql's FrozenDict,
    // which it refuses like any non-string: refuse every dict.
    if (typeof text !== 'string') throw new YaqlFault('TypeError', 'Given object is not typeof string.');
    try {
      return pythonJson(JSON.parse(text) as unknown, 0);
    } catch (error) {
      throw new YaqlFault('ValueError', `the text is not JSON: ${(error as Error).message}`, { cause: error });
    }
  } },
  zip: { params: ['*', '**'], fn: ({ args, kwargs }) => {
    const lists = args.map((arg) => (arg === null ? [] : arg));
    if (lists.length === 1) return lists[0];
    // zip_longest iterates its arguments: a string by character, a dict by key.
    const arrays = lists.map((list) => {
      if (Array.isArray(list)) return list as unknown[];
      if (typeof list === 'string') return Array.from(list);
      if (typeof list === 'object' && list !== null) return Object.keys(list);
      throw new YaqlFault('TypeError', 'zip() arguments must be lists');
    });
    const length = Math.max(0, ...arrays.map((list) => list.length));
    const pad = kwargs.pad ?? null;
    return tuple(Array.from({ length }, (_, i) => tuple(arrays.map((list) => fromJs(i < list.length ? list[i] : pad)))));
  } },
  item: { params: ['key?'], fn: ({ args, host }) => {
    const current = varsOf(host).get('__current_item') ?? null;
    const key = args[0];
    if (!key) return current;
    if (!(current instanceof YaqlDict)) throw new YaqlFault('ExpressionEvaluationException', 'Item is not type of collections.Mapping.');
    const value = current.get(fromJs(key));
    if (value === undefined) throw new YaqlFault('ExpressionEvaluationException', `Item does not have key "${String(key)}".`);
    return value;
  } },
};

/** What Python's json.loads gives: lists and dicts, not yaql's tuples and FrozenDicts. */
function pythonJson(value: unknown, depth: number): YaqlValue {
  if (depth > MAX_DATA_DEPTH) throw new YaqlLimitFault(`data nests deeper than ${MAX_DATA_DEPTH} levels`);
  if (Array.isArray(value)) return pyList(value.map((item) => pythonJson(item, depth + 1)));
  if (typeof value === 'object' && value !== null) {
    return new YaqlDict(Object.entries(value).map(([k, v]) => [k, pythonJson(v, depth + 1)] as const), true);
  }
  return fromJs(value);
}

export interface RenderOptions {
  /** Functions beside Orquesta's defaults; a name here replaces the default one. */
  functions?: HostFunctions<OrquestaContext>;
}

/**
 * Evaluates the `<% … %>` of a text as Orquesta does (`YAQLEvaluator.evaluate`): a text that is
 * exactly one expression gives that expression's value, of any type; several, or one inside other
 * text, are replaced by their values printed as Python's `str()` does (`None`, `True`, `['a', 1]`,
 * `{'k': 'v'}`). A result that is itself a string with `<% %>` is evaluated in turn. A text
 * without expressions is returned as it is.
 *
 * @example renderText('<% ctx(n) + 1 %>', { n: 1 }) // 2
 * @example renderText('n=<% ctx(l) %>', { l: [1, null] }) // "n=[1, None]"
 */
export function renderText(text: string, context: OrquestaContext = {}, options: RenderOptions = {}): unknown {
  return located(text, () => toJs(renderTextValue(text, newRender(context, options), 0)));
}

/** A fault outside any expression (the context too deep to convert) reported against the text. */
function located<T>(text: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof YaqlLimitFault) throw new YaqlLimitError(error.message, { expression: text, position: 0 });
    if (error instanceof YaqlFault) throw new YaqlEvaluationError(error.message, error.kind, { expression: text, position: 0 }, { cause: error });
    throw error;
  }
}

/**
 * Renders every string in a JSON-like structure (dict keys too), as Orquesta renders task input,
 * publish and output; anything else is returned as it is.
 */
export function renderValue(value: unknown, context: OrquestaContext = {}, options: RenderOptions = {}): unknown {
  const render = newRender(context, options);
  // `path` names where the walk is (`input.hosts[2]`) for a structure nested past the bound.
  const walk = (item: unknown, depth: number, path: string): unknown => {
    if (depth > MAX_DATA_DEPTH) throw new YaqlLimitError(`the structure nests deeper than ${MAX_DATA_DEPTH} levels`, { expression: path, position: 0 });
    if (typeof item === 'string') return located(item, () => toJs(renderTextValue(item, render, 0)));
    if (Array.isArray(item)) return item.map((child, i) => walk(child, depth + 1, `${path}[${i}]`));
    if (typeof item === 'object' && item !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(item)) {
        const renderedKey = walk(key, depth + 1, path);
        Object.defineProperty(out, typeof renderedKey === 'string' ? renderedKey : pyStr(fromJs(renderedKey), 'output'), {
          value: walk(child, depth + 1, `${path}.${key}`),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return item;
  };
  return walk(value, 0, 'value');
}

/** Syntax errors of every `<% … %>` in a text, as Orquesta's `validate` lists them. */
export function validateText(text: string): YaqlError[] {
  const errors: YaqlError[] = [];
  for (const found of findExpressions(text)) {
    try {
      new CompiledExpression(found.expression, { expression: found.segment, position: found.offset });
    } catch (error) {
      if (error instanceof YaqlError) errors.push(error);
      else throw error;
    }
  }
  return errors;
}

const mergedTables = new WeakMap<object, HostFunctions<OrquestaContext>>();

/** One render's state: the functions (merged once per caller's table) and the evaluation budget. */
function newRender(context: OrquestaContext, options: RenderOptions): Render {
  let functions = ORQUESTA_FUNCTIONS;
  if (options.functions !== undefined) {
    functions = mergedTables.get(options.functions) ?? { ...ORQUESTA_FUNCTIONS, ...options.functions };
    mergedTables.set(options.functions, functions);
  }
  return { context, functions, budget: { steps: 0 } };
}

interface Render {
  context: OrquestaContext;
  functions: HostFunctions<OrquestaContext>;
  budget: StepBudget;
}

/**
 * Orquesta's algorithm: each segment evaluated in turn, a string result rendered again, then
 * either the value itself (the text is exactly one segment) or the text with every occurrence of
 * each segment replaced by its value's `str()`; built in one pass rather than Orquesta's repeated
 * `str.replace`, which gives the same text. `origin` is the segment a recursive render started from.
 */
function renderTextValue(text: string, render: Render, depth: number, origin?: string): YaqlValue {
  const found = findExpressions(text);
  if (found.length === 0) return text;
  const printed = new Map<string, string>();
  for (const segment of found) {
    if (depth > MAX_RECURSIVE_RENDERS) {
      throw new YaqlLimitError(`values render expressions in turn more than ${MAX_RECURSIVE_RENDERS} levels deep`, { expression: origin ?? segment.segment, position: 0 });
    }
    const compiled = new CompiledExpression(segment.expression, { expression: segment.segment, position: segment.offset });
    let result = compiled.evaluateIn(orquestaScope(render.context), render.functions, render.context, render.budget);
    if (typeof result === 'string') result = renderTextValue(result, render, depth + 1, origin ?? segment.segment);
    if (found.length === 1 && text.length === segment.segment.length) return result;
    // Orquesta replaces every occurrence with the first value: a repeated segment prints once.
    if (!printed.has(segment.segment)) printed.set(segment.segment, pyStr(result, 'output'));
  }
  let output = '';
  let last = 0;
  for (const segment of found) {
    output += text.slice(last, segment.start) + (printed.get(segment.segment) as string);
    last = segment.start + segment.segment.length;
  }
  return output + text.slice(last);
}

/** Orquesta binds no `$`; its internal variables are reachable as `$__vars`, `$__current_item`… */
function orquestaScope(context: OrquestaContext): Scope {
  const scope = new Scope();
  const vars = varsOf(context);
  scope.set('__vars', vars);
  for (const name of ['__state', '__current_task', '__current_item']) scope.set(name, vars.get(name) ?? null);
  return scope;
}

/** {@link renderText} keeping the evaluator's own values (Python types), for conformance checks. */
export function renderTextToValue(text: string, context: OrquestaContext = {}, options: RenderOptions = {}): YaqlValue {
  return located(text, () => renderTextValue(text, newRender(context, options), 0));
}
