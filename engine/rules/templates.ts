import nunjucks from 'nunjucks';
import { TemplateError } from './errors.ts';
import { isPlainObject } from './json.ts';
import { pyJsonDumps, pyModulo, pyTuple } from './python-format.ts';

/** The data templates see, e.g. `{ trigger: payload }`. */
export type TemplateContext = Record<string, unknown>;

/** One template that does not compile; `parameter` is the dotted path of the value. */
export interface TemplateIssue {
  parameter: string;
  message: string;
}

// Names through which a template could reach Function (`"".constructor.constructor("…")()`).
// Templates are pack code, but they render inside the intake Lambda: shut the door anyway.
const BLOCKED_NAMES = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

interface MutableRuntime {
  memberLookup: (obj: unknown, name: unknown) => unknown;
  contextOrFrameLookup: (context: unknown, frame: unknown, name: string) => unknown;
  attunePyModulo?: typeof pyModulo;
  attunePyTuple?: typeof pyTuple;
}
// Compiled templates call these through the shared runtime object, so wrapping them here covers
// every lookup, including computed ones (`x["con" ~ "structor"]`). Guarded so a reload is harmless.
const runtime = nunjucks.runtime as unknown as MutableRuntime & { attuneGuarded?: boolean };
if (!runtime.attuneGuarded) {
  const memberLookup = runtime.memberLookup;
  const contextOrFrameLookup = runtime.contextOrFrameLookup;
  runtime.memberLookup = (obj, name) => (BLOCKED_NAMES.has(String(name)) ? undefined : memberLookup(obj, name));
  runtime.contextOrFrameLookup = (context, frame, name) =>
    BLOCKED_NAMES.has(name) ? undefined : contextOrFrameLookup(context, frame, name);
  runtime.attuneGuarded = true;
}

interface CompilerNode {
  left: unknown;
  right: unknown;
  children: unknown[];
}
interface MutableCompiler {
  _emit(code: string): void;
  compile(node: unknown, frame: unknown): void;
  _compileAggregate(node: unknown, frame: unknown, open: string, close: string): void;
}
// Jinja's `%` is Python's: printf-style formatting of a string (`'%s-%s' % (a, b)`, which st2
// criteria patterns use), modulo with the divisor's sign for numbers; `(a, b)` is a tuple.
runtime.attunePyModulo = pyModulo;
runtime.attunePyTuple = pyTuple;
const compilerProto = (nunjucks as unknown as { compiler: { Compiler: { prototype: MutableCompiler & Record<string, unknown> } } }).compiler.Compiler.prototype;
compilerProto['compileMod'] = function compileMod(this: MutableCompiler, node: CompilerNode, frame: unknown) {
  this._emit('runtime.attunePyModulo(');
  this.compile(node.left, frame);
  this._emit(', ');
  this.compile(node.right, frame);
  this._emit(')');
};
compilerProto['compileGroup'] = function compileGroup(this: MutableCompiler, node: CompilerNode, frame: unknown) {
  this._compileAggregate(node, frame, node.children.length > 1 ? 'runtime.attunePyTuple(' : '(', ')');
};

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
// Jinja spellings pack authors reach for (st2 ships `to_json_string`; Jinja has `tojson`).
env.addFilter('tojson', (v: unknown) => JSON.stringify(v));
env.addFilter('to_json_string', (v: unknown) => JSON.stringify(v));
// st2's `to_complex` is Python's json.dumps; st2 renders criteria patterns through it.
env.addFilter('to_complex', (v: unknown) => pyJsonDumps(v));

const CAPTURE = 'attune_capture__';
const VALUE = 'attune_value__';
const TEMPLATE_MARKERS = /\{\{|\{%|\{#/;
const CACHE_MAX = 1000;
const cache = new Map<string, nunjucks.Template>();

function compile(source: string): nunjucks.Template {
  const cached = cache.get(source);
  if (cached) return cached;
  // nunjucks compiles lazily; compile now so a syntax error surfaces here.
  const template = new nunjucks.Template(source, env, undefined, true);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(source, template);
  return template;
}

/** The expression of a string that is exactly one `{{ … }}` (surrounding blanks allowed). */
function wholeExpression(source: string): string | undefined {
  const trimmed = source.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return undefined;
  const inner = trimmed.slice(2, -2);
  if (/\{\{|\}\}|\{%|%\}|\{#|#\}/.test(inner)) return undefined;
  return inner.replace(/^-/, '').replace(/-$/, '');
}

function cleanMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\(unknown path\)\s*/g, '').replace(/\s+/g, ' ').trim();
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof nunjucks.runtime.SafeString) return value.toString();
  if (value === undefined) return '';
  if (typeof value === 'function') throw new Error('the expression evaluates to a function, not a value');
  // A copy, so the rendered parameters never alias the trigger payload.
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/**
 * Renders one template string. A string that is only one `{{ expr }}` evaluates `expr` and keeps
 * the JSON type of its value (undefined becomes ""); anything else renders to a string.
 * @throws TemplateError naming `parameter`.
 */
export function renderTemplate(source: string, context: TemplateContext, parameter: string): unknown {
  if (!TEMPLATE_MARKERS.test(source)) return source;
  try {
    compile(source);
    const expression = wholeExpression(source);
    // A null-prototype context: top-level names never resolve through Object.prototype.
    const data: Record<string, unknown> = Object.assign(Object.create(null) as object, context);
    if (expression === undefined) return compile(source).render(data);
    let captured: unknown;
    data[CAPTURE] = (v: unknown) => {
      captured = v;
      return '';
    };
    compile(`{% set ${VALUE} = (${expression}) %}{{ ${CAPTURE}(${VALUE}) }}`).render(data);
    return toJsonValue(captured);
  } catch (error) {
    throw new TemplateError(parameter, source, cleanMessage(error), { cause: error });
  }
}

/**
 * Renders one template string to text, as Jinja does, whatever its shape (a lone `{{ expr }}`
 * gives the text of its value, not the value).
 * @throws TemplateError naming `parameter`.
 */
export function renderTemplateText(source: string, context: TemplateContext, parameter: string): string {
  if (!TEMPLATE_MARKERS.test(source)) return source;
  try {
    const data: Record<string, unknown> = Object.assign(Object.create(null) as object, context);
    return compile(source).render(data);
  } catch (error) {
    throw new TemplateError(parameter, source, cleanMessage(error), { cause: error });
  }
}

/**
 * Renders a value that may hold templates: strings are rendered, arrays and objects recursively
 * (keys are kept as written), other values pass through.
 */
export function renderValue(value: unknown, context: TemplateContext, path: string): unknown {
  if (typeof value === 'string') return renderTemplate(value, context, path);
  if (Array.isArray(value)) return value.map((item, i) => renderValue(item, context, `${path}.${i}`));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = renderValue(item, context, `${path}.${key}`);
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
 * @throws TemplateError naming the parameter (dotted path for nested values).
 */
export function renderParameters(templates: Record<string, unknown>, context: TemplateContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(templates)) out[name] = renderValue(value, context, name);
  return out;
}

/** Compiles every template string in `value` without rendering; lists those that do not compile. */
export function findTemplateErrors(value: unknown, path = ''): TemplateIssue[] {
  const join = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (typeof value === 'string') {
    if (!TEMPLATE_MARKERS.test(value)) return [];
    try {
      compile(value);
      return [];
    } catch (error) {
      return [{ parameter: path, message: `template error: ${cleanMessage(error)}` }];
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findTemplateErrors(item, join(i)));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, item]) => findTemplateErrors(item, join(k)));
  return [];
}
