import { TemplateError as TemplateFailure, TemplateRenderError, checkTemplate, isTemplate, renderString, renderTemplate as renderText } from '../templates/index.ts';
import type { TemplateOptions } from '../templates/index.ts';
import { TemplateError } from './errors.ts';
import { isPlainObject } from './json.ts';

/** The data templates see, e.g. `{ trigger: payload }`. */
export type TemplateContext = Record<string, unknown>;

/** What a render may add: globals such as `st2kv`, hooks such as `decryptKv` (see engine/datastore). */
export type RenderExtras = Pick<TemplateOptions, 'globals' | 'hooks'>;

/** One template that does not compile; `parameter` is the dotted path of the value. */
export interface TemplateIssue {
  parameter: string;
  message: string;
}

// st2 renders rule parameters with StrictUndefined, which fails the enforcement on a missing key.
// Rules here render it as '' (and `a.missing.deeper` too): every template st2 renders, this renders
// the same; the ones st2 rejects still render.
const RULE_OPTIONS: TemplateOptions = { undefined: 'chainable' };

// `line 1, column 9: TypeError: Object of type Undefined is not JSON serializable`: where, and
// what jinja2 would have raised.
function reasonOf(error: TemplateFailure): string {
  const at = error.position ? `line ${error.position.line}, column ${error.position.column}: ` : '';
  return `${at}${error instanceof TemplateRenderError ? `${error.pythonType}: ` : ''}${error.reason}`;
}

/**
 * Renders one template string. A string that is only one `{{ expr }}` evaluates `expr` and keeps
 * the JSON type of its value (undefined becomes ""); anything else renders to a string.
 * @throws TemplateError naming `parameter`.
 */
export function renderTemplate(source: string, context: TemplateContext, parameter: string, extras: RenderExtras = {}): unknown {
  try {
    return renderString(source, context, { ...RULE_OPTIONS, ...extras, label: `parameter "${parameter}"` });
  } catch (error) {
    if (error instanceof TemplateFailure) throw new TemplateError(parameter, source, reasonOf(error), { cause: error });
    throw error;
  }
}

/**
 * Renders one template string to text, as Jinja does, whatever its shape (a lone `{{ expr }}`
 * gives the text of its value, not the value).
 * @throws TemplateError naming `parameter`.
 */
export function renderTemplateText(source: string, context: TemplateContext, parameter: string): string {
  try {
    return renderText(source, context, { ...RULE_OPTIONS, label: `parameter "${parameter}"` });
  } catch (error) {
    if (error instanceof TemplateFailure) throw new TemplateError(parameter, source, reasonOf(error), { cause: error });
    throw error;
  }
}

/**
 * Renders a value that may hold templates: strings are rendered, arrays and objects recursively
 * (keys are kept as written), other values pass through.
 */
export function renderValue(value: unknown, context: TemplateContext, path: string, extras: RenderExtras = {}): unknown {
  if (typeof value === 'string') return renderTemplate(value, context, path, extras);
  if (Array.isArray(value)) return value.map((item, i) => renderValue(item, context, `${path}.${i}`, extras));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = renderValue(item, context, `${path}.${key}`, extras);
    return out;
  }
  return value;
}

/**
 * Renders a rule's action parameters against a context such as `{ trigger: payload }`.
 *
 * @example
 * renderParameters({ count: '{{ trigger.body.count }}', msg: 'hi {{ trigger.body.name }}' },
 *   { trigger: { body: { count: 3, name: 'Ada' } } });
 * // → { count: 3, msg: 'hi Ada' }
 * `extras` adds globals and hooks, e.g. the `st2kv` lookups of engine/datastore's kvRenderOptions.
 * @throws TemplateError naming the parameter (dotted path for nested values).
 */
export function renderParameters(templates: Record<string, unknown>, context: TemplateContext, extras: RenderExtras = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(templates)) out[name] = renderValue(value, context, name, extras);
  return out;
}

/** Compiles every template string in `value` without rendering; lists those that do not compile. */
export function findTemplateErrors(value: unknown, path = ''): TemplateIssue[] {
  const join = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (typeof value === 'string') {
    if (!isTemplate(value)) return [];
    try {
      checkTemplate(value);
      return [];
    } catch (error) {
      if (error instanceof TemplateFailure) return [{ parameter: path, message: `template error: ${reasonOf(error)}` }];
      throw error;
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findTemplateErrors(item, join(i)));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, item]) => findTemplateErrors(item, join(k)));
  return [];
}
