import { hasExpressions, renderValue as renderYaql, YaqlError, YaqlFault } from '../expressions/yaql/index.ts';
import type { HostFunctions, OrquestaContext } from '../expressions/yaql/index.ts';
import { COMPLETED } from './state.ts';
import { AttuneError } from '../errors/index.ts';
import { callSt2Function, isTemplate, renderValue as renderJinja, ST2_WORKFLOW_FUNCTIONS, TemplateError } from '../templates/index.ts';

/** The slice of the conductor's state that `task_status()` and friends read, placed in the context as `__state`. */
export interface StatusView {
  /** Task status by `name__r<route>` (Orquesta's task state id). */
  statuses: Record<string, string>;
  /** Result of each task's latest run that ended, by the same ids. */
  results: Record<string, unknown>;
  /** Per route, the transitions that led into it. */
  routes: string[][];
}

/**
 * The datastore as a workflow's `st2kv(key, decrypt=false)` reads it: the keys were read before the
 * event (expressions evaluate synchronously), `found: false` for a key that does not exist.
 */
export type St2kvLookup = (key: string, decrypt: boolean) => { found: true; value: unknown } | { found: false };

/** What an expression sees besides the variables: the task being decided on, the state, the current item. */
export interface ExpressionContext extends Record<string, unknown> {
  __current_task?: { id: string; route: number; result?: unknown };
  __state?: StatusView;
  __current_item?: unknown;
  __st2kv?: St2kvLookup;
}

/**
 * st2's `st2kv(key, decrypt=False, default=...)`: `system.<name>` in the system scope, any other
 * key in the user scope; a missing key is the workflow's error unless a default is given.
 */
function st2kv(context: ExpressionContext, key: unknown, options: Record<string, unknown>): unknown {
  if (typeof key !== 'string') throw new YaqlFault('ExpressionEvaluationException', 'Given key is not typeof string.');
  const decrypt = options.decrypt ?? false;
  if (typeof decrypt !== 'boolean') throw new YaqlFault('ExpressionEvaluationException', 'Decrypt parameter is not typeof bool.');
  const lookup = context.__st2kv;
  const found = lookup === undefined ? ({ found: false } as const) : lookup(key, decrypt);
  if (found.found) return found.value;
  if (Object.hasOwn(options, 'default')) return options.default;
  throw new YaqlFault('ExpressionEvaluationException', `The key "${key}" does not exist in the StackStorm datastore.`);
}

/** Statuses that end a task, as Orquesta's `COMPLETED_STATUSES`. */
export const COMPLETED_STATUSES = COMPLETED;

/** The route a task ran on as seen from `route`: a task before a split ran on an earlier route whose transitions this one extends. */
function routeOf(context: ExpressionContext, name: string, route: number): number | undefined {
  if (context.__state?.statuses[`${name}__r${route}`] !== undefined) return route;
  const routes = context.__state?.routes ?? [];
  const mine = routes[route] ?? [];
  for (let earlier = route - 1; earlier >= 0; earlier -= 1) {
    if ((routes[earlier] ?? []).every((t) => mine.includes(t))) return routeOf(context, name, earlier);
  }
  return undefined;
}

function statusOf(context: ExpressionContext, name: string, route?: number): string {
  const at = routeOf(context, name, route ?? context.__current_task?.route ?? 0);
  return at === undefined ? 'null' : (context.__state?.statuses[`${name}__r${at}`] ?? 'null');
}

/**
 * st2's `task(name)`: the latest run of a task (the current one without a name) with its status
 * and result; the ids and timestamps st2 adds belong to the execution records, not the conductor.
 */
function taskOf(context: ExpressionContext, name: string | undefined, route: number | undefined): Record<string, unknown> {
  const id = name ?? context.__current_task?.id;
  const at = id === undefined ? undefined : routeOf(context, id, route ?? context.__current_task?.route ?? 0);
  if (id === undefined || at === undefined) throw new YaqlFault('ExpressionEvaluationException', `Unable to find task execution for "${String(id)}".`);
  const key = `${id}__r${at}`;
  return { task_name: id, task_id: id, route: at, status: context.__state?.statuses[key] ?? null, result: context.__state?.results[key] ?? null };
}

function currentTask(context: ExpressionContext): { id: string; route: number; result?: unknown } {
  const current = context.__current_task;
  if (current === undefined) throw new YaqlFault('ExpressionEvaluationException', 'The current task is not set in the context.');
  return current;
}

/**
 * st2's functions in YAQL (`from_json_string(ctx(x))`, `regex_match(...)`): a failure is the
 * workflow's, reported with the expression, never a crash of the conductor.
 */
const ST2_YAQL_FUNCTIONS: HostFunctions<OrquestaContext> = Object.fromEntries(
  Object.keys(ST2_WORKFLOW_FUNCTIONS).map((name) => [
    name,
    ({ args, kwargs }: { args: unknown[]; kwargs: Record<string, unknown> }) => {
      try {
        return callSt2Function(name, args, kwargs);
      } catch (error) {
        throw new YaqlFault('ExpressionEvaluationException', (error as Error).message, { cause: error });
      }
    },
  ]),
);

/** The conductor's functions, as Orquesta's `orquesta.expressions.functions.workflow` defines them, and st2's. */
const CONDUCTOR_FUNCTIONS = {
  ...ST2_YAQL_FUNCTIONS,
  st2kv: { params: ['key', '**'], fn: ({ args, kwargs, host }) => st2kv(host as ExpressionContext, args[0], kwargs) },
  task_status: { params: ['task_id', 'route?'], fn: ({ args, host }) => statusOf(host as ExpressionContext, String(args[0]), args[1] as number | undefined) },
  succeeded: { params: [], fn: ({ host }) => { const t = currentTask(host as ExpressionContext); return statusOf(host as ExpressionContext, t.id, t.route) === 'succeeded'; } },
  failed: { params: [], fn: ({ host }) => { const t = currentTask(host as ExpressionContext); return statusOf(host as ExpressionContext, t.id, t.route) === 'failed'; } },
  completed: { params: [], fn: ({ host }) => { const t = currentTask(host as ExpressionContext); return COMPLETED_STATUSES.includes(statusOf(host as ExpressionContext, t.id, t.route)); } },
  result: { params: [], fn: ({ host }) => currentTask(host as ExpressionContext).result ?? null },
  task: { params: ['task_id?', 'route?'], fn: ({ args, host }) => taskOf(host as ExpressionContext, args[0] as string | undefined, args[1] as number | undefined) },
} satisfies HostFunctions<OrquestaContext>;

/** An expression failed while the workflow ran; `message` is in Orquesta's log form. */
export class ExpressionFailure extends AttuneError {
  override name = 'ExpressionFailure';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'workflow_expression', status: 400, cause: options.cause });
  }
}

/**
 * Evaluates every `<% %>` (YAQL) and `{{ }}` (Jinja) expression inside a value against a
 * workflow context, as Orquesta's `expressions.base.evaluate` does; a failure becomes an
 * {@link ExpressionFailure} whose message reads as Orquesta logs it.
 */
export function evaluate(value: unknown, context: ExpressionContext): unknown {
  try {
    if (containsJinja(value)) return evaluateMixed(value, context);
    // A fresh object each time: the YAQL module caches its view of a context object, and
    // publishes add to the same rolling context between evaluations.
    return renderYaql(value, { ...context }, { functions: CONDUCTOR_FUNCTIONS });
  } catch (error) {
    if (error instanceof YaqlError) throw new ExpressionFailure(orquestaMessage(error), { cause: error });
    if (error instanceof TemplateError) throw new ExpressionFailure(`JinjaEvaluationException: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The message Orquesta's YAQL evaluator logs for a failed expression. */
function orquestaMessage(error: YaqlError): string {
  const key = /^key (.*) is not in the dict$/.exec(error.reason);
  if (error.kind === 'KeyError' && key !== null) {
    return `YaqlEvaluationException: Unable to resolve key ${key[1]} in expression '${error.expression}' from context.`;
  }
  const reason = error.reason.charAt(0).toUpperCase() + error.reason.slice(1);
  return `YaqlEvaluationException: Unable to evaluate expression '${error.expression}'. ${error.kind}: ${reason}`;
}

/** Each string by its own language, as Orquesta picks an evaluator per string. */
function evaluateMixed(value: unknown, context: ExpressionContext): unknown {
  if (typeof value === 'string') {
    return containsJinja(value) ? renderJinja(value, context, { globals: jinjaGlobals(context) }) : renderYaql(value, { ...context }, { functions: CONDUCTOR_FUNCTIONS });
  }
  if (Array.isArray(value)) return value.map((item) => evaluateMixed(item, context));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, String(evaluateMixed(key, context)), { value: evaluateMixed(item, context), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function containsJinja(value: unknown): boolean {
  if (typeof value === 'string') return isTemplate(value) && !hasExpressions(value);
  if (Array.isArray(value)) return value.some(containsJinja);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => containsJinja(k) || containsJinja(v));
  return false;
}

/**
 * A Jinja call's arguments bound to `names`, positional first: the template interpreter hands a
 * plain function its keyword arguments (`task("deploy", route=1)`) as one trailing object.
 */
function bindJinja(fn: string, names: readonly string[], args: unknown[]): unknown[] {
  const last = args.at(-1);
  const keywords = typeof last === 'object' && last !== null && !Array.isArray(last) ? (last as Record<string, unknown>) : undefined;
  const positional = keywords === undefined ? args : args.slice(0, -1);
  if (positional.length > names.length) throw new Error(`${fn}() takes at most ${names.length} arguments (${positional.length} given)`);
  const bound = names.map((_, i) => positional[i]);
  for (const [key, value] of Object.entries(keywords ?? {})) {
    const at = names.indexOf(key);
    if (at < 0) throw new Error(`${fn}() got an unexpected keyword argument '${key}'`);
    bound[at] = value;
  }
  return bound;
}

/** Orquesta's Jinja functions: `ctx()`, `item()` and the conductor's, as globals. */
function jinjaGlobals(context: ExpressionContext): Record<string, unknown> {
  const vars = Object.fromEntries(Object.entries(context).filter(([k]) => !k.startsWith('__')));
  const current = () => {
    if (context.__current_task === undefined) throw new Error('The current task is not set in the context.');
    return context.__current_task;
  };
  // st2's functions: the template interpreter hands keyword arguments as one trailing object.
  const st2 = Object.fromEntries(
    Object.keys(ST2_WORKFLOW_FUNCTIONS).map((name) => [
      name,
      (...args: unknown[]) => {
        const last = args.at(-1);
        const keywords = args.length > 1 && typeof last === 'object' && last !== null && !Array.isArray(last) && Object.getPrototypeOf(last) === Object.prototype ? (last as Record<string, unknown>) : undefined;
        return callSt2Function(name, keywords ? args.slice(0, -1) : args, keywords ?? {});
      },
    ]),
  );
  return {
    ...st2,
    st2kv: (...args: unknown[]) => {
      const last = args.at(-1);
      const keywords = args.length > 1 && typeof last === 'object' && last !== null && !Array.isArray(last) ? (last as Record<string, unknown>) : {};
      return st2kv(context, args[0], keywords);
    },
    ctx: (...args: unknown[]) => {
      const [key] = bindJinja('ctx', ['key'], args) as [string | undefined];
      if (key === undefined) return vars;
      if (!(key in vars)) throw new Error(`The variable "${key}" is undefined.`);
      return vars[key];
    },
    item: (...args: unknown[]) => {
      const [key] = bindJinja('item', ['key'], args) as [string | undefined];
      const item = context.__current_item;
      if (key === undefined) return item;
      return (item as Record<string, unknown>)[key];
    },
    task_status: (...args: unknown[]) => {
      const [name, route] = bindJinja('task_status', ['task_id', 'route'], args) as [string, number | undefined];
      return statusOf(context, name, route);
    },
    task: (...args: unknown[]) => {
      const [name, route] = bindJinja('task', ['task_id', 'route'], args) as [string | undefined, number | undefined];
      return taskOf(context, name, route);
    },
    succeeded: () => statusOf(context, current().id, current().route) === 'succeeded',
    failed: () => statusOf(context, current().id, current().route) === 'failed',
    completed: () => COMPLETED_STATUSES.includes(statusOf(context, current().id, current().route)),
    result: () => current().result ?? null,
  };
}
