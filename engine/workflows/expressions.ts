import { hasExpressions, renderValue as renderYaql, YaqlError, YaqlFault } from '../expressions/yaql/index.ts';
import type { HostFunctions, OrquestaContext } from '../expressions/yaql/index.ts';
import { COMPLETED } from './state.ts';
import { AttuneError } from '../errors/index.ts';
import { isTemplate, renderValue as renderJinja, TemplateError } from '../templates/index.ts';

/** The slice of the conductor's state that `task_status()` and friends read, placed in the context as `__state`. */
export interface StatusView {
  /** Task status by `name__r<route>` (Orquesta's task state id). */
  statuses: Record<string, string>;
  /** Per route, the transitions that led into it. */
  routes: string[][];
}

/** What an expression sees besides the variables: the task being decided on, the state, the current item. */
export interface ExpressionContext extends Record<string, unknown> {
  __current_task?: { id: string; route: number; result?: unknown };
  __state?: StatusView;
  __current_item?: unknown;
}

/** Statuses that end a task, as Orquesta's `COMPLETED_STATUSES`. */
export const COMPLETED_STATUSES = COMPLETED;

function statusOf(context: ExpressionContext, name: string, route?: number): string {
  const current = context.__current_task;
  const at = route ?? current?.route ?? 0;
  const found = context.__state?.statuses[`${name}__r${at}`];
  if (found !== undefined) return found;
  // A task before a split ran on an earlier route whose transitions this route extends.
  const routes = context.__state?.routes ?? [];
  const mine = routes[at] ?? [];
  for (let earlier = at - 1; earlier >= 0; earlier -= 1) {
    if ((routes[earlier] ?? []).every((t) => mine.includes(t))) return statusOf(context, name, earlier);
  }
  return 'null';
}

function currentTask(context: ExpressionContext): { id: string; route: number; result?: unknown } {
  const current = context.__current_task;
  if (current === undefined) throw new YaqlFault('ExpressionEvaluationException', 'The current task is not set in the context.');
  return current;
}

/** The conductor's functions, as Orquesta's `orquesta.expressions.functions.workflow` defines them. */
const CONDUCTOR_FUNCTIONS = {
  task_status: { params: ['task_id', 'route?'], fn: ({ args, host }) => statusOf(host as ExpressionContext, String(args[0]), args[1] as number | undefined) },
  succeeded: { params: [], fn: ({ host }) => { const t = currentTask(host as ExpressionContext); return statusOf(host as ExpressionContext, t.id, t.route) === 'succeeded'; } },
  failed: { params: [], fn: ({ host }) => { const t = currentTask(host as ExpressionContext); return statusOf(host as ExpressionContext, t.id, t.route) === 'failed'; } },
  completed: { params: [], fn: ({ host }) => { const t = currentTask(host as ExpressionContext); return COMPLETED_STATUSES.includes(statusOf(host as ExpressionContext, t.id, t.route)); } },
  result: { params: [], fn: ({ host }) => currentTask(host as ExpressionContext).result ?? null },
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
    if (containsJinja(value)) return renderJinja(value, context, { globals: jinjaGlobals(context) });
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

function containsJinja(value: unknown): boolean {
  if (typeof value === 'string') return isTemplate(value) && !hasExpressions(value);
  if (Array.isArray(value)) return value.some(containsJinja);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => containsJinja(k) || containsJinja(v));
  return false;
}

/** Orquesta's Jinja functions: `ctx()`, `item()` and the conductor's, as globals. */
function jinjaGlobals(context: ExpressionContext): Record<string, unknown> {
  const vars = Object.fromEntries(Object.entries(context).filter(([k]) => !k.startsWith('__')));
  const current = () => {
    if (context.__current_task === undefined) throw new Error('The current task is not set in the context.');
    return context.__current_task;
  };
  return {
    ctx: (key?: string) => {
      if (key === undefined) return vars;
      if (!(key in vars)) throw new Error(`The variable "${key}" is undefined.`);
      return vars[key];
    },
    item: (key?: string) => {
      const item = context.__current_item;
      if (key === undefined) return item;
      return (item as Record<string, unknown>)[key];
    },
    task_status: (name: string, route?: number) => statusOf(context, name, route),
    succeeded: () => statusOf(context, current().id, current().route) === 'succeeded',
    failed: () => statusOf(context, current().id, current().route) === 'failed',
    completed: () => COMPLETED_STATUSES.includes(statusOf(context, current().id, current().route)),
    result: () => current().result ?? null,
  };
}
